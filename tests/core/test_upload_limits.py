"""Request bodies over their address's limit are refused with 413 before they are read
(issue 14: a 400 MB upload to the plan import was received whole, then refused)."""

from __future__ import annotations

import io
import re
import socket

import pytest
from django.conf import settings
from django.urls import reverse

from steerco.core.uploads import ENVELOPE_BYTES, body_limit

FOUR_HUNDRED_MB = 400 * 1024 * 1024


class Unread(io.RawIOBase):
    """A request body that fails the test if anything reads it."""

    def read(self, *args):
        raise AssertionError("the body of a refused request must not be read")

    readline = readinto = read


def _post(client, path: str, length: int, content_type: str = "multipart/form-data; boundary=x"):
    return client.generic(
        "POST", path, b"", content_type, CONTENT_LENGTH=str(length), **{"wsgi.input": Unread()}
    )


def test_the_limits_are_the_ones_the_imports_check():
    from steerco.engine.interop import spreadsheets
    from steerco.logs.transfer import sheets as log_transfer
    from steerco.plans import transfer as plan_transfer

    assert plan_transfer.import_limit() == settings.STEERCO_PLAN_UPLOAD_MAX_BYTES
    assert settings.STEERCO_SPREADSHEET_UPLOAD_MAX_BYTES == spreadsheets.MAX_BYTES
    assert log_transfer.upload_max_bytes() == settings.STEERCO_SPREADSHEET_UPLOAD_MAX_BYTES


def test_every_import_address_is_given_its_file_limit():
    plan_page = reverse("plans:import", kwargs={"project_id": 7})
    log_page = reverse("logs:import", kwargs={"project_id": 7, "kind": "risks"})
    plan_api = "/api/v1/projects/7/plan/import"
    plan_bytes = settings.STEERCO_PLAN_UPLOAD_MAX_BYTES + ENVELOPE_BYTES
    assert body_limit(plan_page) == body_limit(plan_api) == plan_bytes
    assert body_limit(log_page) == settings.STEERCO_SPREADSHEET_UPLOAD_MAX_BYTES + ENVELOPE_BYTES
    assert body_limit("/projects/7/") == settings.DATA_UPLOAD_MAX_MEMORY_SIZE


@pytest.mark.django_db
def test_the_api_refuses_a_400_mb_upload_unread_with_json(client):
    response = _post(client, "/api/v1/projects/1/plan/import", FOUR_HUNDRED_MB)
    assert response.status_code == 413
    assert response.json() == {
        "detail": "The file is larger than 20 MB, the most this import takes; nothing was read. "
        "Split the file, or remove what the import does not need from it.",
        "code": "too_large",
        "fields": {},
    }


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("name", "kwargs", "size"),
    [("plans:import", {}, "20 MB"), ("logs:import", {"kind": "risks"}, "10 MB")],
)
def test_an_import_page_refuses_an_upload_over_its_file_limit_unread(client, name, kwargs, size):
    path = reverse(name, kwargs={"project_id": 1, **kwargs})
    response = _post(client, path, body_limit(path) + 1)
    assert response.status_code == 413
    assert response["Content-Type"].startswith("text/html")
    assert f"The file is larger than {size}, the most this import takes" in response.text


@pytest.mark.django_db
def test_an_address_that_takes_no_file_refuses_a_large_body_unread(client):
    response = _post(client, "/accounts/login/", 3 * 1024 * 1024)
    assert response.status_code == 413
    assert "The request is larger than 2.5 MB, the most this address takes" in response.text


def test_a_body_within_the_limit_goes_on_to_the_view(org, client_for):
    # 10 MB and a few bytes: over the spreadsheet limit, under the plan files'; the import
    # itself refuses it as before (the API's 413 from the view, not from the middleware).
    data = b"Name\n" + b"x" * (10 * 1024 * 1024)
    handle = io.BytesIO(data)
    handle.name = "big.csv"
    response = client_for("mary").post(
        f"/api/v1/projects/{org.alpha.pk}/plan/import", {"file": handle}
    )
    assert response.status_code == 422
    assert "10 MB" in response.json()["detail"]


def _exchange(live_server, head: bytes, body: bytes = b"") -> bytes:
    host, port = live_server.thread.host, live_server.thread.port
    with socket.create_connection((host, port), timeout=10) as connection:
        connection.sendall(head + body)
        answer = b""
        while b"\r\n\r\n" not in answer:
            chunk = connection.recv(65536)
            if not chunk:
                break
            answer += chunk
        return answer


def test_a_real_server_answers_413_before_the_body_is_sent(live_server):
    # Only the headers are sent: the answer comes without waiting for 400 MB.
    head = (
        b"POST /api/v1/projects/1/plan/import HTTP/1.1\r\nHost: localhost\r\n"
        b"Content-Type: multipart/form-data; boundary=x\r\n"
        + f"Content-Length: {FOUR_HUNDRED_MB}\r\n\r\n".encode()
    )
    answer = _exchange(live_server, head)
    assert answer.startswith(b"HTTP/1.1 413")


def test_a_chunked_upload_is_never_read(live_server, tmp_path):
    # No declared length: Django reads no body at all, so no upload handler is needed; the
    # API then answers that no file was sent (after authentication, which fails here).
    head = (
        b"POST /api/v1/projects/1/plan/import HTTP/1.1\r\nHost: localhost\r\n"
        b"Content-Type: multipart/form-data; boundary=x\r\nTransfer-Encoding: chunked\r\n\r\n"
    )
    chunk = b"x" * 65536
    body = (f"{len(chunk):x}\r\n".encode() + chunk + b"\r\n") * 4
    answer = _exchange(live_server, head, body)
    assert re.match(rb"HTTP/1\.1 (401|400)", answer)
