from __future__ import annotations

from django.conf import settings
from django.db import models
from simple_history.models import HistoricalRecords

from steerco.core.versioning import VersionedModel


class Person(VersionedModel):
    """Anyone who works on or for projects, with or without a login.

    Owners, assignees, sponsors and managers everywhere refer to a Person, so a
    contractor without an account can still own a risk or an action.
    """

    name = models.CharField(max_length=200)
    email = models.EmailField(blank=True)
    team = models.CharField(max_length=100, blank=True)
    job_title = models.CharField(max_length=100, blank=True)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="person",
    )
    active = models.BooleanField(default=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "people"

    def __str__(self) -> str:
        return self.name
