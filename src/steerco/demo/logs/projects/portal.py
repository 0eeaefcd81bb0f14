"""The member portal's log story (project PORTAL).

A proposal, with the risks and dependencies of its business case.
"""

from __future__ import annotations

from ..story import (
    DaysFromToday,
    ItemStory,
    action,
    assumption,
    decision,
    dependency,
    risk,
    started,
)


def story() -> list[ItemStory]:
    """The member portal's log items, in the order the story lists them."""
    return [
        risk(
            None,
            0.2,
            "Members do not adopt self-service",
            category="strategic",
            cause="Older members prefer branches and the phone.",
            event="Fewer than 15% of members register in the first year.",
            effect="Call reduction and the business case are not achieved.",
            owner="daniel",
            probability=3,
            impact=4,
            strategy="reduce",
            response="Branch staff help members register; simple registration with the "
            "existing member number.",
            after=(2, 4),
            review=DaysFromToday(40),
        ),
        risk(
            None,
            0.3,
            "Fraudsters take over member accounts",
            category="technical",
            cause="Online access to change contact details.",
            event="Account takeover through stolen credentials.",
            effect="Member losses, reimbursement and reputational damage.",
            owner="hannah",
            actionee="sophie",
            probability=3,
            impact=5,
            strategy="reduce",
            response="Strong customer authentication; notify members of every change by "
            "the old and new contact details.",
            after=(1, 4),
            review=DaysFromToday(60),
        ),
        risk(
            None,
            0.4,
            "Portal start delayed by the CRM and data platform",
            category="schedule",
            cause="Both projects the portal depends on are still delivering.",
            event="Case management or statements data are not ready in January.",
            effect="Portal starts late or builds temporary feeds.",
            owner="hannah",
            probability=4,
            impact=3,
            strategy="accept",
            response="Start with discovery and design, which need neither.",
            review=DaysFromToday(-3),
        ),
        assumption(
            None,
            0.3,
            "30% of routine calls can move online",
            owner="daniel",
            due=DaysFromToday(45),
            consequence="The business case would need re-basing.",
        ),
        assumption(
            None,
            0.5,
            "The CRM's case API is available to the portal",
            owner="hannah",
            due=DaysFromToday(30),
            consequence="Portal requests would need re-keying by advisers.",
        ),
        dependency(
            None,
            0.45,
            "Case management API from the new CRM",
            owner="hannah",
            project="CRM",
            need_by=DaysFromToday(150),
        ),
        action(
            None,
            0.55,
            "Prepare the portal business case for the January portfolio review",
            owner="hannah",
            due=DaysFromToday(25),
            detail="Portfolio board, {date}",
            steps=(started(0.7),),
        ),
        action(
            None,
            0.6,
            "Run member research sessions in three branches",
            owner="sophie",
            due=DaysFromToday(-6),
            source="risk",
            by="sophie",
        ),
        decision(
            None,
            0.8,
            "Start in January with discovery only",
            rationale="Waits for the CRM's case API without idle build staff.",
            alternatives="Start build in November as first proposed.",
            decided_by="bob",
        ),
    ]
