"""The demo's log stories hold together before anything is loaded.

A story refers to its own items by key (links, ``[[key]]`` in texts, the later steps of
an issue a risk became); a key that is misspelt or missing is otherwise only found when
the demo is loaded, as a KeyError or a link quietly left out.
"""

from __future__ import annotations

import re

import pytest

from steerco.demo.logs.projects import STORIES
from steerco.demo.logs.story import ItemStory
from steerco.logs.kinds import KINDS

_REFERENCE = re.compile(r"\[\[([\w-]+)\]\]")


def _texts(value):
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for inner in value.values():
            yield from _texts(inner)


def _keys(items: list[ItemStory]) -> list[str]:
    """Keys of the items a story raises, and of the issues its risks became."""
    keys = [item.key for item in items if item.key and not item.existing]
    keys += [step.issue_key for item in items for step in item.steps if step.issue_key]
    return keys


@pytest.mark.parametrize("code", list(STORIES))
def test_a_story_names_each_item_once_and_refers_only_to_its_own_items(code):
    items = STORIES[code]()
    keys = _keys(items)
    assert len(keys) == len(set(keys))
    for item in items:
        assert item.kind in KINDS
        if item.existing:
            assert item.key in keys, item.key
        for _relation, target in item.links:
            assert target.startswith("task:") or target in keys, target
        texts = [*_texts(item.fields)]
        texts += [text for step in item.steps for text in _texts(step.changes)]
        texts += [text for step in item.steps for text in _texts(step.issue or {})]
        for text in texts:
            for key in _REFERENCE.findall(text):
                assert key in keys, key


def test_every_one_of_the_ten_demo_projects_has_a_story():
    assert len(STORIES) == 10
    assert all(len(story()) >= 8 for story in STORIES.values())
