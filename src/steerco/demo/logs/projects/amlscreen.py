"""The AML screening upgrade's log story (project AMLSCREEN).

Cancelled when the vendor offered a managed service.
"""

from __future__ import annotations

from ..story import (
    HIGH,
    DaysAfter,
    ItemStory,
    action,
    decision,
    done,
    issue,
    later,
    lesson,
    resolved,
    risk,
    started,
)


def story() -> list[ItemStory]:
    """The AML screening upgrade's log items, in the order the story lists them."""
    return [
        risk(
            "false-positives",
            0.15,
            "False positives swamp the financial crime team",
            category="operational",
            cause="The new engine's fuzzy matching is stricter than the current one.",
            event="Daily alerts rise from 300 to over 1,000.",
            effect="Backlogs; payments held for members; regulatory criticism.",
            owner="grace",
            probability=4,
            impact=4,
            strategy="reduce",
            response="Tune thresholds per customer segment with two weeks of parallel screening.",
            after=(2, 3),
            steps=(later(0.98, status="closed", description="Project cancelled."),),
        ),
        risk(
            "list-updates",
            0.2,
            "Sanctions list updates not applied the same day",
            category="legal",
            cause="List loads are manual in the current engine.",
            event="A newly designated person is not screened for a day.",
            effect="A sanctions breach reportable to OFSI.",
            owner="marcus",
            probability=2,
            impact=5,
            strategy="reduce",
            response="Automated list loads within two hours of publication.",
            after=(1, 5),
            steps=(
                later(
                    0.98, status="closed", description="Handled by the vendor's managed service."
                ),
            ),
        ),
        risk(
            "managed-service",
            0.55,
            "Vendor offers screening as a managed service",
            opportunity=True,
            category="strategic",
            cause="The vendor is moving customers to its managed service.",
            event="The managed service is offered under the existing contract.",
            effect="No upgrade project needed; list management moves to the vendor.",
            owner="marcus",
            probability=3,
            impact=4,
            strategy="exploit",
            response="Due diligence on the managed service; compare with the upgrade.",
            after=(5, 4),
            cost=(-150000, -120000, -90000),
            steps=(later(0.95, status="closed", description="Exploited: project cancelled."),),
        ),
        issue(
            None,
            0.45,
            "Upgrade needs a database version we do not run",
            type="off_specification",
            priority=HIGH,
            owner="aisha",
            steps=(resolved(0.96, "Moot: project cancelled.", status="closed"),),
        ),
        decision(
            "dec-cancel",
            0.96,
            "Cancel the upgrade and move to the vendor's managed service",
            rationale="Same controls, no infrastructure to run, £120k of budget returned; "
            "the CRO confirmed the managed service meets the firm's sanctions obligations.",
            alternatives="Continue the upgrade as planned.",
            decided_by="marcus",
            links=(("relates_to", "managed-service"),),
        ),
        action(
            None,
            0.6,
            "Due diligence on the vendor's managed service",
            owner="grace",
            due=DaysAfter(30),
            source="risk",
            detail="[[managed-service]]",
            steps=(started(0.65), done(0.9)),
        ),
        action(
            None,
            0.97,
            "Return unspent budget to the regulatory portfolio",
            owner="aisha",
            due=DaysAfter(10),
            source="decision",
            detail="[[dec-cancel]]",
            steps=(done(0.99),),
        ),
        lesson(
            0.99,
            "Ask the vendor about its roadmap before starting an upgrade",
            type="to_improve",
            category="suppliers",
            stage="starting_up",
            happened="Four months into the upgrade the vendor offered a managed service "
            "that made the project unnecessary.",
            learned="The vendor had planned the service for a year.",
            recommendation="Ask suppliers for their two-year roadmap in every business case.",
            owner="aisha",
        ),
        lesson(
            0.99,
            "Stopping early is a good outcome",
            type="went_well",
            category="governance",
            stage="closure",
            happened="The board cancelled within three weeks of the option appearing and "
            "returned £120k.",
            learned="Clear tolerances made cancelling a decision, not a failure.",
            recommendation="Report cancelled projects' savings as benefits.",
            owner="marcus",
        ),
        lesson(
            0.99,
            "Parallel screening data is reusable",
            type="went_well",
            category="quality",
            stage="delivery",
            happened="The threshold tuning data was handed to the vendor and shortened "
            "their onboarding.",
            learned="Good test data outlives the project that made it.",
            recommendation="Archive test data sets with the project's documents.",
            owner="grace",
        ),
        lesson(
            0.99,
            "Involve financial crime analysts from the start",
            type="to_improve",
            category="stakeholders",
            stage="initiation",
            happened="Analysts joined in month three and changed the alert design.",
            learned="The people who clear alerts know what a useful alert is.",
            recommendation="Put an end user on the project team from initiation.",
            owner="grace",
        ),
    ]
