"""GET /healthz: what load balancers and monitors poll (INTERFACES.md, "Health")."""

from __future__ import annotations

from unittest import mock

import pytest
from django.db import OperationalError


@pytest.mark.django_db
def test_health_answers_ok_without_login(client):
    response = client.get("/healthz")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response.json() == {"status": "ok", "database": "ok"}


@pytest.mark.django_db
def test_health_is_never_cached(client):
    response = client.get("/healthz")

    assert "no-cache" in response["Cache-Control"] or "max-age=0" in response["Cache-Control"]


@pytest.mark.django_db
def test_health_answers_503_when_the_database_is_down(client):
    with mock.patch(
        "steerco.core.views.connection.cursor",
        side_effect=OperationalError("could not connect to server"),
    ):
        response = client.get("/healthz")

    assert response.status_code == 503
    assert response.json() == {"status": "error", "database": "unavailable"}


@pytest.mark.django_db
def test_health_answers_503_when_the_query_fails(client):
    with mock.patch("steerco.core.views.connection.cursor") as cursor:
        cursor.return_value.__enter__.return_value.execute.side_effect = OperationalError(
            "server closed the connection unexpectedly"
        )
        response = client.get("/healthz")

    assert response.status_code == 503


@pytest.mark.django_db
def test_health_only_answers_get(client):
    assert client.post("/healthz").status_code == 405
