"""Answers Django gives under /api/ outside any operation still use the API's error shape."""


def test_unknown_api_path_is_a_json_404(client_for):
    response = client_for("bob").get("/api/v1/no-such-thing")
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"


def test_method_not_allowed_is_json_and_lists_the_allowed_methods(client_for):
    response = client_for("bob").put("/api/v1/projects", data={}, content_type="application/json")
    assert response.status_code == 405
    assert response.json()["code"] == "method_not_allowed"
    assert "GET" in response["Allow"]


def test_pages_keep_their_html_404(client_for):
    response = client_for("bob").get("/no-such-page/")
    assert response.status_code == 404
    assert "application/json" not in response["Content-Type"]
