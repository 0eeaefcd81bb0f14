"""Spreadsheet export and import of the project logs: columns, values, round trips,
all-or-nothing imports with a per-row report, malformed files and permissions."""

from __future__ import annotations

import csv
import io
from datetime import date
from decimal import Decimal

import openpyxl
import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from steerco.logs import services
from steerco.logs.kinds import KINDS
from steerco.logs.models import Action, Issue, Risk
from steerco.logs.transfer import imports
from steerco.logs.transfer import sheets as transfer
from steerco.resources.models import Person


def _risk(org, **fields):
    values = {
        "title": "Supplier late",
        "probability": 4,
        "impact": 3,
        "owner": org.people["priya"],
        "category": "technical",
    }
    values.update(fields)
    return services.item_create(actor=org.priya, project=org.alpha, kind="risks", **values)


def _export(client, org, kind="risks", fmt="csv", query="", project=None):
    url = reverse("logs:export", args=[(project or org.alpha).pk, kind, fmt])
    return client.get(f"{url}?{query}" if query else url)


def _csv_rows(response) -> list[list[str]]:
    content = response.content.decode("utf-8")
    assert content.startswith("\ufeff")
    return list(csv.reader(io.StringIO(content[1:])))


def _as_dicts(rows: list[list[str]]) -> list[dict[str, str]]:
    return [dict(zip(rows[0], row, strict=True)) for row in rows[1:]]


def _csv_bytes(rows: list[list], *, delimiter=",", bom=False) -> bytes:
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=delimiter).writerows(rows)
    return (("\ufeff" if bom else "") + buffer.getvalue()).encode("utf-8")


def _import(client, org, content: bytes, *, kind="risks", name="log.csv", project=None):
    url = reverse("logs:import", args=[(project or org.alpha).pk, kind])
    return client.post(url, {"file": SimpleUploadedFile(name, content)})


def _report(response) -> list[imports.RowReport]:
    rejected = response.context["rejected"]
    assert rejected is not None, response.context["form"].errors
    return rejected.report


# ------------------------------------------------------------------------------- export


def test_csv_export_has_ref_human_headers_and_computed_risk_columns(org, client_for):
    _risk(org, probability_after=2, impact_after=2, strategy="reduce", review_date=date(2026, 3, 2))
    response = _export(client_for("priya"), org)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert 'filename="alpha-risks.csv"' in response["Content-Disposition"]
    header, row = _csv_rows(response)
    assert header[:4] == ["Ref", "Title", "Description", "Threat or opportunity"]
    assert "Probability after response" in header
    assert header[-7:] == [
        "Score before",
        "Score after",
        "Band",
        "Version",
        "Created",
        "Updated",
        "Project",
    ]
    values = dict(zip(header, row, strict=True))
    assert values["Ref"] == "R-001"
    assert values["Threat or opportunity"] == "Threat"
    assert values["Category"] == "Technical"
    assert values["Owner"] == "Priya Patel"
    assert values["Raised by"] == "Priya Patel"
    assert values["Response strategy"] == "Reduce"
    assert values["Review date"] == "2026-03-02"
    assert (values["Score before"], values["Score after"]) == ("12", "4")
    assert values["Band"] == "High"
    assert values["Version"] == "1"


def test_action_export_says_whether_each_action_is_overdue(org, client_for):
    services.item_create(
        actor=org.priya, project=org.alpha, kind="actions", title="Late", due_date=date(2020, 1, 1)
    )
    services.item_create(
        actor=org.priya, project=org.alpha, kind="actions", title="Later", due_date=date(2099, 1, 1)
    )
    rows = _as_dicts(_csv_rows(_export(client_for("priya"), org, kind="actions")))
    assert [(row["Title"], row["Overdue"]) for row in rows] == [("Late", "Yes"), ("Later", "No")]


def test_dependency_export_names_the_other_project_by_code(org, client_for):
    services.item_create(
        actor=org.priya,
        project=org.alpha,
        kind="dependencies",
        title="Data feed",
        other_project=org.beta,
    )
    rows = _as_dicts(_csv_rows(_export(client_for("priya"), org, kind="dependencies")))
    assert rows[0]["Other project"] == "BETA"
    assert rows[0]["Direction"] == "Inbound (we need it)"


def test_xlsx_export_has_typed_cells_a_frozen_header_widths_and_filters(org, client_for):
    _risk(org, review_date=date(2026, 3, 2), cost_min=100, cost_likely=200, cost_max=1500)
    response = _export(client_for("priya"), org, fmt="xlsx")
    assert response.status_code == 200
    assert response["Content-Type"] == transfer.FORMATS["xlsx"]
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    header = [cell.value for cell in sheet[1]]
    values = dict(zip(header, [cell.value for cell in sheet[2]], strict=True))
    assert sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref.startswith("A1:")
    assert sheet.column_dimensions["B"].width == 40
    assert sheet["A1"].font.bold
    assert values["Ref"] == "R-001"
    assert values["Score before"] == 12
    assert values["Review date"].date() == date(2026, 3, 2)
    assert values["Cost max"] == 1500


def test_export_keeps_the_list_filters_of_the_query_string(org, client_for):
    _risk(org, title="Supplier late")
    _risk(org, title="Key tester leaves", owner=org.people["mary"])
    closed = _risk(org, title="Old worry")
    services.item_update(actor=org.priya, item=closed, expected_version=1, status="closed")
    client = client_for("priya")

    def titles(query):
        return [row["Title"] for row in _as_dicts(_csv_rows(_export(client, org, query=query)))]

    assert titles("state=open") == ["Supplier late", "Key tester leaves"]
    assert titles("state=all") == ["Supplier late", "Key tester leaves", "Old worry"]
    assert titles("state=closed") == ["Old worry"]
    assert titles(f"state=all&owner={org.people['mary'].pk}") == ["Key tester leaves"]
    assert titles("state=all&q=tester") == ["Key tester leaves"]
    assert titles("state=all&ordering=-title") == [
        "Supplier late",
        "Old worry",
        "Key tester leaves",
    ]


def test_export_of_an_unknown_sort_is_a_plain_400(org, client_for):
    response = _export(client_for("priya"), org, query="ordering=<script>")
    assert response.status_code == 400
    assert response["Content-Type"].startswith("text/plain")


def test_export_all_is_one_workbook_with_a_sheet_per_log(org, client_for):
    _risk(org)
    services.item_create(actor=org.priya, project=org.alpha, kind="actions", title="Chase")
    response = client_for("erin").get(reverse("logs:export_all", args=[org.alpha.pk]))
    assert response.status_code == 200
    workbook = openpyxl.load_workbook(io.BytesIO(response.content))
    assert workbook.sheetnames == [str(kind.plural).capitalize() for kind in KINDS.values()]
    risks, actions = workbook["Risks"], workbook["Actions"]
    assert (risks["A2"].value, risks["B2"].value) == ("R-001", "Supplier late")
    assert (actions["A2"].value, actions["B2"].value) == ("ACT-001", "Chase")
    assert risks.freeze_panes == "A2" and actions.auto_filter.ref
    assert workbook["Lessons"].max_row == 1  # the header alone


def test_titles_that_look_like_formulas_are_neutralised_in_both_formats(org, client_for):
    _risk(org, title='=HYPERLINK("http://evil.example","click")', description="@SUM(A1)")
    client = client_for("priya")
    row = _as_dicts(_csv_rows(_export(client, org)))[0]
    assert row["Title"] == '\'=HYPERLINK("http://evil.example","click")'
    assert row["Description"] == "'@SUM(A1)"
    sheet = openpyxl.load_workbook(io.BytesIO(_export(client, org, fmt="xlsx").content)).active
    assert sheet["B2"].data_type == "s"  # text, not a formula
    assert sheet["B2"].quotePrefix
    assert sheet["B2"].value.startswith("=HYPERLINK")


def test_exported_formula_neutralisation_is_undone_on_import(org, client_for):
    risk = _risk(org, title="=1+1 is two")
    client = client_for("priya")
    response = _import(client, org, _export(client, org, query="state=all").content)
    assert response.status_code == 200
    assert response.context["result"].unchanged == [risk]
    risk.refresh_from_db()
    assert (risk.title, risk.version) == ("=1+1 is two", 1)


def test_unknown_format_is_404_and_readers_may_export_but_outsiders_not(org, client_for):
    _risk(org)
    assert _export(client_for("priya"), org, fmt="pdf").status_code == 404
    assert _export(client_for("erin"), org).status_code == 200
    assert _export(client_for("tom"), org, fmt="xlsx").status_code == 200
    assert _export(client_for("olga"), org).status_code == 404
    assert (
        client_for("olga").get(reverse("logs:export_all", args=[org.alpha.pk])).status_code == 404
    )
    assert _export(client_for("priya"), org, kind="nonsense").status_code == 404


# ------------------------------------------------------------------------------- import


def test_import_page_offers_a_file_field_and_the_templates(org, client_for):
    response = client_for("priya").get(reverse("logs:import", args=[org.alpha.pk, "risks"]))
    assert response.status_code == 200
    html = response.content.decode()
    assert 'type="file"' in html and "Spreadsheet file" in html
    assert reverse("logs:import_template", args=[org.alpha.pk, "risks", "xlsx"]) in html
    assert reverse("logs:import_template", args=[org.alpha.pk, "risks", "csv"]) in html
    # the log tabs, with the risks tab marked as the current one
    assert (
        f'<a href="{reverse("logs:list", args=[org.alpha.pk, "risks"])}" aria-current="page"'
        in html
    )


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_round_trip_leaves_unchanged_rows_alone_and_applies_edits(org, client_for, fmt):
    """Given an exported log, when it is imported untouched nothing changes; when a title
    is edited and a row without Ref is added, that item is updated and a new one created."""
    first = _risk(org)
    second = _risk(org, title="Key tester leaves")
    client = client_for("priya")
    exported = _export(client, org, fmt=fmt, query="state=all").content
    response = _import(client, org, exported, name=f"risks.{fmt}")
    assert response.status_code == 200
    result = response.context["result"]
    assert (len(result.created), len(result.updated), len(result.unchanged)) == (0, 0, 2)
    first.refresh_from_db()
    assert first.version == 1

    if fmt == "csv":
        rows = list(csv.reader(io.StringIO(exported.decode("utf-8-sig"))))
        rows[1][1] = "Supplier very late"
        rows.append(["", "Data centre move slips"] + [""] * (len(rows[0]) - 2))
        header = rows[0]
        rows[-1][header.index("Probability")] = "2"
        rows[-1][header.index("Impact")] = "5"
        edited = _csv_bytes(rows)
    else:
        workbook = openpyxl.load_workbook(io.BytesIO(exported))
        sheet = workbook.active
        header = [cell.value for cell in sheet[1]]
        sheet["B2"] = "Supplier very late"
        new = [None] * len(header)
        new[1] = "Data centre move slips"
        new[header.index("Probability")] = 2
        new[header.index("Impact")] = 5
        sheet.append(new)
        buffer = io.BytesIO()
        workbook.save(buffer)
        edited = buffer.getvalue()
    response = _import(client, org, edited, name=f"risks.{fmt}")
    assert response.status_code == 200, response.context["rejected"].report
    result = response.context["result"]
    assert [item.ref for item in result.updated] == ["R-001"]
    assert [item.ref for item in result.created] == ["R-003"]
    assert [item.ref for item in result.unchanged] == ["R-002"]
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.title, first.version) == ("Supplier very late", 2)
    assert second.version == 1
    created = Risk.objects.get(project=org.alpha, number=3)
    assert (created.probability, created.impact, created.raised_by) == (2, 5, org.people["priya"])
    html = response.content.decode()
    assert "1 item created" in html and "1 updated" in html
    assert reverse("logs:item", args=[org.alpha.pk, "risks", created.pk]) in html


def test_a_row_exported_before_someone_else_saved_is_refused_as_stale(org, client_for):
    risk = _risk(org)
    client = client_for("priya")
    rows = _csv_rows(_export(client, org))
    services.item_update(actor=org.mary, item=risk, expected_version=1, title="Mary's title")
    rows[1][1] = "Priya's title"
    response = _import(client, org, _csv_bytes(rows))
    assert response.status_code == 422
    [row] = _report(response)
    assert (row.number, row.ref) == (2, "R-001")
    assert "changed since export" in str(row.problems[0])
    risk.refresh_from_db()
    assert (risk.title, risk.version) == ("Mary's title", 2)


def test_one_bad_row_among_good_ones_imports_nothing_and_reports_only_that_row(org, client_for):
    content = _csv_bytes(
        [
            ["Title", "Probability", "Impact", "Owner"],
            ["Supplier late", "4", "3", "Priya Patel"],
            ["Key tester leaves", "2", "4", "mary@example.org"],
            ["Budget cut", "3", "3", "Zed Zebra"],
            ["Scope creep", "3", "2", ""],
        ]
    )
    response = _import(client_for("priya"), org, content)
    assert response.status_code == 422
    [row] = _report(response)
    assert (row.number, row.ref, row.title) == (4, "", "Budget cut")
    assert [str(problem) for problem in row.problems] == ["Owner: No person called 'Zed Zebra'."]
    assert not Risk.objects.filter(project=org.alpha).exists()
    html = response.content.decode()
    assert "Nothing was imported." in html and "Zed Zebra" in html


def test_each_unreadable_value_is_reported_with_its_column_and_value(org, client_for):
    content = _csv_bytes(
        [
            ["Title", "Probability", "Impact", "Category", "Review date", "Cost min"],
            ["A", "4", "3", "Astrological", "2026-02-30", "lots"],
            ["", "9", "3", "", "31/12/2026", ""],
        ]
    )
    response = _import(client_for("priya"), org, content)
    first, second = _report(response)
    messages = [str(problem) for problem in first.problems]
    assert "Category: 'Astrological' is not one of: Strategic" in messages[0]
    assert messages[1:] == [
        "Review date: '2026-02-30' is not a date; write it as YYYY-MM-DD or DD/MM/YYYY.",
        "Cost min: 'lots' is not a number.",
    ]
    assert second.number == 3
    assert [str(problem) for problem in second.problems] == ["Title: A value is required."]


def test_a_level_outside_the_scale_is_refused_by_the_service_rules(org, client_for):
    content = _csv_bytes([["Title", "Probability", "Impact"], ["A", "9", "3"]])
    [row] = _report(_import(client_for("priya"), org, content))
    assert [str(problem) for problem in row.problems] == [
        "Probability: Choose a level from 1 to 5."
    ]


def test_a_name_two_people_share_must_be_given_as_an_e_mail(org, client_for):
    Person.objects.create(name="Priya Patel", email="other.priya@example.org")
    content = _csv_bytes(
        [["Title", "Owner"], ["Chase", "Priya Patel"], ["Call", "other.priya@example.org"]]
    )
    response = _import(client_for("priya"), org, content, kind="actions")
    [row] = _report(response)
    assert row.number == 2
    assert "matches 2 people; give their e-mail address instead" in str(row.problems[0])


def test_semicolon_csv_with_bom_and_european_values_is_read(org, client_for):
    content = _csv_bytes(
        [
            [
                "title",
                "RISK_TYPE",
                " probability ",
                "Impact",
                "Raised on",
                "Cost min",
                "Cost likely",
                "Cost max",
            ],
            ["Grant awarded", "opportunity", "3", "4", "05/02/2026", "1.000,50", "2,000", "3 500"],
        ],
        delimiter=";",
        bom=True,
    ).replace(b"\xef\xbb\xbf", b"\xef\xbb\xbf;;;\r\n", 1)  # and a blank first line
    response = _import(client_for("priya"), org, content)
    assert response.status_code == 200, response.context["rejected"]
    risk = Risk.objects.get(project=org.alpha)
    assert risk.risk_type == "opportunity"
    assert risk.raised_on == date(2026, 2, 5)
    assert (risk.cost_min, risk.cost_likely, risk.cost_max) == (
        Decimal("1000.50"),
        Decimal("2000"),
        Decimal("3500"),
    )


def test_issue_booleans_choices_by_label_and_people_by_email(org, client_for):
    content = _csv_bytes(
        [
            ["Title", "Priority", "Escalated to the PMO", "Reason for escalation", "Owner"],
            ["Build broken", "Critical", "yes", "Blocks the release", "TOM@example.org"],
            ["Flaky test", "2_medium", "false", "", ""],
        ]
    )
    response = _import(client_for("tom"), org, content, kind="issues")
    assert response.status_code == 200, response.context["rejected"]
    broken, flaky = Issue.objects.filter(project=org.alpha).order_by("number")
    assert (broken.priority, broken.escalated_to_pmo, broken.owner) == (
        "4_critical",
        True,
        org.people["tom"],
    )
    assert broken.escalated_on is not None
    assert (flaky.priority, flaky.escalated_to_pmo) == ("2_medium", False)


def test_unknown_or_foreign_refs_and_duplicate_rows_are_refused(org, client_for):
    _risk(org)
    content = _csv_bytes(
        [
            ["Ref", "Title", "Version"],
            ["R-001", "A", "1"],
            ["R-001", "B", "1"],
            ["R-099", "C", "1"],
            ["I-001", "D", "1"],
            ["R-001", "E", ""],
        ]
    )
    rows = _report(_import(client_for("priya"), org, content))
    problems = {row.number: [str(p) for p in row.problems] for row in rows}
    assert list(problems) == [3, 4, 5, 6]
    assert problems[3] == ["Ref: R-001 is also in row 2; give each item one row only."]
    assert "There is no risk R-099 in this project" in problems[4][0]
    assert "'I-001' is not a risk reference" in problems[5][0]
    assert "Version: Give the version from the export" in problems[6][0]
    assert Risk.objects.get().title == "Supplier late"


def test_a_dependency_in_another_project_is_not_updated_by_its_number(org, client_for):
    services.item_create(
        actor=org.priya,
        project=org.beta,
        kind="dependencies",
        title="Feed",
        other_project=org.alpha,
    )
    content = _csv_bytes([["Ref", "Title", "Version"], ["D-001", "Hijacked", "1"]])
    [row] = _report(_import(client_for("priya"), org, content, kind="dependencies"))
    assert "There is no dependency D-001 in this project" in str(row.problems[0])


@pytest.mark.parametrize(
    ("content", "name", "message"),
    [
        (b"", "empty.csv", "The submitted file is empty."),
        (b"\n\n ;\n", "blank.csv", "The file is empty."),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\xff\xfe", "photo.csv", "not a spreadsheet"),
        (b"PK\x03\x04broken zip", "log.xlsx", "not a valid Excel workbook"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100, "log.xls", "old-style Excel"),
        (b"Supplier late,4,3\nTester leaves,2,2\n", "noheader.csv", "must name the columns"),
        (b"Title,Probability,Impact,Mood\nA,1,1,good\n", "extra.csv", "Unknown columns: 'Mood'"),
        (b"Title,Probability,Impact\n", "header.csv", "no rows to import"),
        (b"Title,Owner,owner\nA,,\n", "twice.csv", "are the same field"),
        (b"Title,Probability\nA,1,stray\n", "stray.csv", "column C, which has no heading"),
    ],
)
def test_malformed_files_get_a_clear_message_and_import_nothing(
    org, client_for, content, name, message
):
    response = _import(client_for("priya"), org, content, name=name)
    assert response.status_code == 422
    errors = " ".join(response.context["form"].errors["file"])
    assert message in errors
    assert not Risk.objects.exists()


def test_oversized_files_are_refused_before_reading(org, client_for):
    # Issue 8: every spreadsheet reader now has one size limit, the more accepting 10 MB the
    # task list import had (this test asserted the log import's own 5 MB before).
    content = b"Title\n" + b"x" * (transfer.upload_max_bytes() + 1)
    response = _import(client_for("priya"), org, content)
    assert response.status_code == 422
    assert "larger than 10 MB" in " ".join(response.context["form"].errors["file"])


def test_csv_in_windows_1252_from_an_older_excel_is_read(org, client_for):
    # Issue 8: the log import refused text that is not UTF-8 (this file was one of the
    # malformed cases), while the task list import read it as Windows-1252, as Excel's plain
    # "CSV" writes it on Western Windows; the more accepting rule is now every reader's.
    content = "Title,Probability,Impact\nRisque été – phase 2,3,2\n".encode("cp1252")
    response = _import(client_for("priya"), org, content, name="old.csv")
    assert response.status_code == 200, response.context["form"].errors
    assert Risk.objects.get().title == "Risque été – phase 2"


def test_excel_unicode_text_in_utf16_with_tabs_is_read(org, client_for):
    # Issue 8: the log import refused UTF-16 ("save it as CSV UTF-8 instead") while the task
    # list import read it; Excel's "Unicode Text" is UTF-16 with tabs, now read by both.
    content = "Title\tProbability\tImpact\nSupplier late\t4\t3\n".encode("utf-16")
    response = _import(client_for("priya"), org, content, name="risks.txt")
    assert response.status_code == 200, response.context["form"].errors
    assert Risk.objects.get().score_before == 12


def test_more_rows_than_the_limit_are_refused(org, client_for):
    # Issue 8: the log import's own 1,000-row cap went (large files import as a job); the
    # limit is every spreadsheet's.
    content = b"Title,Probability,Impact\n" + b"A,1,1\n" * (transfer.MAX_ROWS + 1)
    response = _import(client_for("priya"), org, content)
    assert "more than 100,000 rows" in " ".join(response.context["form"].errors["file"])
    assert not Risk.objects.exists()


def test_a_sheet_named_after_the_log_is_read_from_an_export_all_workbook(org, client_for):
    _risk(org)
    services.item_create(actor=org.priya, project=org.alpha, kind="actions", title="Chase")
    client = client_for("priya")
    workbook = client.get(reverse("logs:export_all", args=[org.alpha.pk])).content
    response = _import(client, org, workbook, kind="actions", name="all.xlsx")
    assert response.status_code == 200
    assert [item.ref for item in response.context["result"].unchanged] == ["ACT-001"]


@pytest.mark.parametrize("slug", list(KINDS))
def test_each_log_template_has_import_headers_and_an_example_row_that_imports(
    org, client_for, slug
):
    client = client_for("priya")
    for fmt in ("csv", "xlsx"):
        response = client.get(reverse("logs:import_template", args=[org.alpha.pk, slug, fmt]))
        assert response.status_code == 200
        table = transfer.read_table(KINDS[slug], response.content, f"template.{fmt}")
        assert [c.key for c in table.columns] == [
            c.key for c in transfer.import_columns(KINDS[slug])
        ]
        result = imports.log_import(actor=org.priya, project=org.alpha, kind=slug, rows=table.rows)
        assert len(result.created) == 1
    assert (
        client.get(reverse("logs:import_template", args=[org.alpha.pk, slug, "ods"])).status_code
        == 404
    )


def test_team_members_import_actions_but_not_risks(org, client_for):
    tom = client_for("tom")
    content = _csv_bytes([["Title", "Due date"], ["Chase supplier", "2026-06-30"]])
    response = _import(tom, org, content, kind="actions")
    assert response.status_code == 200
    assert Action.objects.get().due_date == date(2026, 6, 30)
    risk_rows = _csv_bytes([["Title", "Probability", "Impact"], ["A", "1", "1"]])
    assert _import(tom, org, risk_rows).status_code == 403
    assert tom.get(reverse("logs:import", args=[org.alpha.pk, "risks"])).status_code == 403
    assert (
        tom.get(reverse("logs:import_template", args=[org.alpha.pk, "risks", "csv"])).status_code
        == 403
    )
    assert _import(client_for("erin"), org, content, kind="actions").status_code == 403
    assert _import(client_for("olga"), org, content, kind="actions").status_code == 404
    assert _import(tom, org, content, kind="actions", project=org.beta).status_code == 404
    assert not Risk.objects.exists()


def test_the_import_service_checks_the_log_permission_itself(org):
    rows = [transfer.SheetRow(number=2, values={"title": "A", "probability": 1, "impact": 1})]
    with pytest.raises(PermissionDenied):
        imports.log_import(actor=org.tom, project=org.alpha, kind="risks", rows=rows)
    result = imports.log_import(actor=org.mary, project=org.alpha, kind="risks", rows=rows)
    assert [item.ref for item in result.created] == ["R-001"]


def test_change_request_status_is_exported_but_only_its_workflow_changes_it(org, client_for):
    change = services.item_create(
        actor=org.priya, project=org.alpha, kind="changes", title="Add SSO"
    )
    client = client_for("priya")
    rows = _csv_rows(_export(client, org, kind="changes", query="state=all"))
    header = rows[0]
    assert rows[1][header.index("Status")] == "Draft"
    assert _import(client, org, _csv_bytes(rows), kind="changes").status_code == 200
    rows[1][header.index("Status")] = "Approved"
    [row] = _report(_import(client, org, _csv_bytes(rows), kind="changes"))
    assert str(row.problems[0]).startswith("Status: Set by the change request's workflow")
    change.refresh_from_db()
    assert (change.status, change.version) == ("draft", 1)


def test_multi_line_text_survives_an_excel_round_trip_unchanged(org, client_for):
    risk = _risk(org, description="First line\r\nSecond line")
    client = client_for("priya")
    exported = _export(client, org, fmt="xlsx", query="state=all").content
    response = _import(client, org, exported, name="risks.xlsx")
    assert response.context["result"].unchanged == [risk]
    risk.refresh_from_db()
    assert risk.version == 1


def test_clearing_a_cell_clears_the_field_and_a_required_one_is_refused(org, client_for):
    risk = _risk(org, review_date=date(2026, 3, 2))
    client = client_for("priya")
    rows = [["Ref", "Version", "Review date", "Category"], ["R-001", "1", "", ""]]
    assert _import(client, org, _csv_bytes(rows)).status_code == 200
    risk.refresh_from_db()
    assert (risk.review_date, risk.category, risk.version) == (None, "", 2)
    rows = [["Ref", "Version", "Probability", "Title"], ["R-001", "2", "", ""]]
    [row] = _report(_import(client, org, _csv_bytes(rows)))
    assert [str(p) for p in row.problems] == [
        "Title: A value is required.",
        "Probability: A value is required.",
    ]
    assert row.title == "Supplier late"


def test_dependencies_name_other_projects_by_code_among_those_the_importer_sees(org, client_for):
    content = _csv_bytes(
        [
            ["Title", "Other project", "External party"],
            ["Data feed", "beta", ""],
            ["Office keys", "GAMMA", ""],
            ["Spare parts", "ZETA", ""],
            ["Certificates", "", "Acme Ltd"],
        ]
    )
    rows = _report(_import(client_for("priya"), org, content, kind="dependencies"))
    assert {row.number: str(row.problems[0]) for row in rows} == {
        3: "Other project: No project with the code 'GAMMA'.",
        4: "Other project: No project with the code 'ZETA'.",
    }
    response = _import(client_for("bob"), org, content.replace(b"ZETA", b""), kind="dependencies")
    assert response.status_code == 422  # bob sees GAMMA; the row without a party is refused
    [row] = _report(response)
    assert (row.number, row.problems[0].column) == (4, "Other project")
    assert "Name either another project or an external party." in row.problems[0].message


def test_a_reference_too_large_to_be_a_number_is_a_row_error(org, client_for):
    content = _csv_bytes([["Ref", "Title", "Version"], ["R-99999999999999999999", "A", "1"]])
    [row] = _report(_import(client_for("priya"), org, content))
    assert "is not a risk reference" in str(row.problems[0])


def test_dependencies_recorded_by_another_project_are_not_in_this_ones_export(org, client_for):
    services.item_create(
        actor=org.priya,
        project=org.beta,
        kind="dependencies",
        title="Theirs",
        other_project=org.alpha,
    )
    services.item_create(
        actor=org.priya, project=org.alpha, kind="dependencies", title="Ours", external_party="Acme"
    )
    rows = _as_dicts(_csv_rows(_export(client_for("priya"), org, kind="dependencies")))
    assert [row["Title"] for row in rows] == ["Ours"]


def test_rows_exported_from_another_project_do_not_update_this_ones_items(org, client_for):
    """Both projects have an R-001 at version 1; ALPHA's file must not overwrite BETA's."""
    _risk(org, title="Alpha's risk")
    theirs = services.item_create(
        actor=org.priya,
        project=org.beta,
        kind="risks",
        title="Beta's risk",
        probability=1,
        impact=1,
    )
    client = client_for("priya")
    exported = _export(client, org, fmt="xlsx").content
    response = _import(client, org, exported, name="alpha.xlsx", project=org.beta)
    [row] = _report(response)
    assert str(row.problems[0]).startswith("Project: This row is from project ALPHA, not BETA")
    theirs.refresh_from_db()
    assert (theirs.title, theirs.version) == ("Beta's risk", 1)


def test_a_row_reports_unreadable_cells_and_broken_rules_together(org, client_for):
    content = _csv_bytes(
        [
            ["Title", "Probability", "Impact", "Owner", "Strategy", "Review date"],
            ["Budget cut", "3", "3", "Zed Zebra", "Exploit", "soon"],
        ]
    )
    [row] = _report(_import(client_for("priya"), org, content))
    assert [str(problem) for problem in row.problems] == [
        "Owner: No person called 'Zed Zebra'.",
        "Review date: 'soon' is not a date; write it as YYYY-MM-DD or DD/MM/YYYY.",
        "Response strategy: 'Exploit' is not a response to a threat.",
    ]
    assert not Risk.objects.exists()


def test_a_decided_change_request_names_who_approved_it(org, client_for):
    change = services.item_create(actor=org.priya, project=org.alpha, kind="changes", title="SSO")
    for step in ("submitted", "assessed", "approved"):
        change = services.change_transition(
            actor=org.priya, change=change, to=step, expected_version=change.version
        )
    row = _as_dicts(_csv_rows(_export(client_for("erin"), org, kind="changes", query="state=all")))[
        0
    ]
    assert (row["Status"], row["Approved or rejected by"]) == ("Approved", "Priya Patel")
    assert (
        row["Approved or rejected at"][:10]
        == timezone.localtime(change.decided_at).date().isoformat()
    )


def test_formatted_empty_rows_below_the_data_do_not_count_as_rows(org, client_for):
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(["Title", "Due date"])
    sheet.append(["Chase supplier", date(2026, 6, 30)])
    # 1,500: more than the 1,000 rows the log import allowed before issue 8 removed its cap
    # (the limit is now every spreadsheet's 100,000, and 50,000 blank rows at most).
    for row in range(3, 1_500):
        sheet.cell(row=row, column=1).font = openpyxl.styles.Font(bold=True)
    buffer = io.BytesIO()
    workbook.save(buffer)
    response = _import(client_for("tom"), org, buffer.getvalue(), kind="actions", name="a.xlsx")
    assert response.status_code == 200
    assert Action.objects.get().due_date == date(2026, 6, 30)


def _workbook(heading: list[str], rows: int) -> bytes:
    book = openpyxl.Workbook(write_only=True)
    sheet = book.create_sheet("Risks")
    sheet.append(heading)
    for number in range(rows):
        sheet.append([f"Risk {number}", 3, 2])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


@pytest.mark.parametrize(
    ("heading", "message"),
    [
        (["Title", "Likelihood", "Impact"], "Unknown columns: 'Likelihood'"),
        (["Name", "Odds", "Mood"], "The first row must name the columns"),
        (["Title", "TITLE", "Impact"], "are the same field; keep one of them"),
    ],
)
def test_a_wrong_heading_is_refused_before_the_rows_are_read(heading, message, monkeypatch):
    # Issue 8: the log import read every row of a large file before looking at its columns.
    # It now judges the heading as soon as it is found, with the same message as before.
    from steerco.engine.interop import spreadsheets

    risks = KINDS["risks"]
    small = _workbook(heading, 1)
    with pytest.raises(transfer.FileRefused) as refused_small:
        transfer.read_table(risks, small, "small.xlsx")
    assert message in refused_small.value.message
    read = []
    worksheet_rows = spreadsheets._worksheet_rows

    def counted(*args, **kwargs):
        for row in worksheet_rows(*args, **kwargs):
            read.append(row[0])
            yield row

    monkeypatch.setattr(spreadsheets, "_worksheet_rows", counted)
    large = _workbook(heading, 20_000)
    with pytest.raises(transfer.FileRefused) as refused_large:
        transfer.read_table(risks, large, "large.xlsx")
    assert refused_large.value.message == refused_small.value.message
    assert max(read) <= 2  # the heading, and at most the row being read when it was judged
    csv_file = ",".join(heading).encode() + b"\n" + b"A,1,1\n" * 20_000
    with pytest.raises(transfer.FileRefused) as refused_csv:
        transfer.read_table(risks, csv_file, "large.csv")
    assert refused_csv.value.message == refused_small.value.message


def test_the_size_limit_is_the_setting_the_upload_limit_reads(org, client_for, settings):
    # One source: the log import takes what STEERCO_SPREADSHEET_UPLOAD_MAX_BYTES says, as
    # the web server's upload limit for its address does (core.uploads).
    settings.STEERCO_SPREADSHEET_UPLOAD_MAX_BYTES = 1024 * 1024
    content = b"Title,Probability,Impact\n" + b"A,1,1\n" * 200_000
    response = _import(client_for("priya"), org, content)
    assert response.status_code == 422
    assert "larger than 1 MB" in " ".join(response.context["form"].errors["file"])
    with pytest.raises(transfer.FileRefused, match="larger than the limit of 1 MB"):
        transfer.read_table(KINDS["risks"], content, "risks.csv")
    assert not Risk.objects.exists()
