"""The climate disclosures project's log story (project CLIMATE).

A proposal with data and regulatory unknowns.
"""

from __future__ import annotations

from ..story import (
    DaysFromToday,
    ItemStory,
    action,
    assumption,
    dependency,
    risk,
    started,
)


def story() -> list[ItemStory]:
    """The climate disclosures project's log items, in the order the story lists them."""
    return [
        risk(
            None,
            0.2,
            "No energy performance data for a third of the mortgage book",
            category="technical",
            cause="EPC ratings exist only for properties sold or let since 2008.",
            event="Financed emissions must be estimated for many mortgages.",
            effect="Disclosures rely on proxies the auditors challenge.",
            owner="aisha",
            actionee="grace",
            probability=4,
            impact=3,
            strategy="reduce",
            response="Buy modelled EPC data; disclose the estimation method.",
            after=(3, 2),
            review=DaysFromToday(30),
            cost=(15000, 25000, 40000),
        ),
        risk(
            None,
            0.3,
            "Final disclosure rules change the scope",
            category="legal",
            cause="UK sustainability reporting standards are still being finalised.",
            event="The final rules add scope 3 categories or scenario requirements.",
            effect="More work than planned for the first report.",
            owner="fiona",
            probability=3,
            impact=3,
            strategy="accept",
            response="Accepted: plan for the draft standard, review when final.",
            review=DaysFromToday(50),
        ),
        risk(
            None,
            0.35,
            "No in-house scenario analysis skills",
            category="people",
            cause="Climate scenario modelling is new to the finance and risk teams.",
            event="The scenario analysis is late or weak.",
            effect="Auditor findings; the board lacks confidence in the disclosure.",
            owner="aisha",
            probability=4,
            impact=3,
            strategy="transfer",
            response="Buy scenario modelling from a specialist firm with knowledge transfer.",
            after=(2, 3),
        ),
        assumption(
            None,
            0.3,
            "The data platform can hold property-level EPC data",
            owner="grace",
            due=DaysFromToday(20),
            consequence="A separate data store would be needed.",
        ),
        dependency(
            None,
            0.4,
            "Mortgage book data with property details from the data platform",
            owner="grace",
            project="DATAPLAT",
            need_by=DaysFromToday(200),
        ),
        dependency(
            None,
            0.45,
            "Final UK sustainability disclosure standards",
            owner="aisha",
            party="FCA and the UK Endorsement Board (regulator)",
            need_by=DaysFromToday(120),
        ),
        action(
            None,
            0.5,
            "Get quotes for modelled EPC data",
            owner="grace",
            due=DaysFromToday(-4),
            source="risk",
        ),
        action(
            None,
            0.6,
            "Draft the project brief for the portfolio board",
            owner="aisha",
            due=DaysFromToday(12),
            detail="Portfolio board, {date}",
            steps=(started(0.8),),
        ),
    ]
