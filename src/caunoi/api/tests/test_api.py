"""The API as a whole: its schema lists what the apps' routers mount, in one list shape."""

import json

import pytest

API = "/api/v1"


def get(client, url, **extra):
    response = client.get(API + url, **extra)
    assert response["Content-Type"].startswith("application/json")
    return response, json.loads(response.content.decode("utf-8"))


@pytest.mark.django_db
def test_openapi_schema_lists_every_path(client):
    response, schema = get(client, "/openapi.json")
    assert response.status_code == 200
    assert schema["info"]["title"] == "Cầu Nối API"
    assert {  # the apps add their own paths (each tests them)
        "/api/v1/units",
        "/api/v1/units/search",
        "/api/v1/units/{level}/{code}",
        "/api/v1/units/{level}/{code}/children",
        "/api/v1/mandates",
        "/api/v1/heads/{level}/{code}",
        "/api/v1/heads/{level}/{code}/figures",
        "/api/v1/outreach/sms-replies",
        "/api/v1/outreach/notices/{pk}/reach",
        "/api/v1/surveys/campaigns",
        "/api/v1/surveys/campaigns/{campaign_id}/results/{level}/{code}",
        "/api/v1/directives",
        "/api/v1/funds/areas/{code}",
    } <= set(schema["paths"])
    assert set(schema["paths"]["/api/v1/mandates"]) == {"get", "post"}
    assert schema["components"]["securitySchemes"]  # bearer and session are documented


@pytest.mark.django_db
@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/units",
        "/api/v1/units/{level}/{code}/children",
        "/api/v1/mandates",
        "/api/v1/heads/{level}/{code}",
    ],
)
def test_lists_have_the_one_list_shape(client, path):
    _, schema = get(client, "/openapi.json")
    operation = schema["paths"][path]["get"]
    params = {p["name"]: p["schema"] for p in operation["parameters"]}
    assert params["limit"]["maximum"] == 500 and params["limit"]["default"] == 100
    assert params["offset"]["minimum"] == 0
    ref = operation["responses"]["200"]["content"]["application/json"]["schema"]["$ref"]
    shape = schema["components"]["schemas"][ref.rsplit("/", 1)[1]]
    assert set(shape["properties"]) == {"items", "count", "limit", "offset"}


@pytest.mark.django_db
def test_no_swagger_page_loading_a_cdn(client):
    assert client.get(API + "/docs").status_code == 404
