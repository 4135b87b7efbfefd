import pytest
from django.db import OperationalError
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_health_check_reports_a_working_database(client):
    response = client.get(reverse("healthz"))

    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok"}
    assert "no-cache" in response.headers["Cache-Control"]


def test_health_check_answers_a_load_balancer_probing_by_ip_over_http(client, settings):
    settings.SECURE_SSL_REDIRECT = True
    settings.ALLOWED_HOSTS = ["partnerships.example.gov.uk"]

    response = client.get(reverse("healthz"), headers={"host": "10.0.3.7:8000"})

    assert response.status_code == 200
    assert client.get(reverse("home"), headers={"host": "10.0.3.7:8000"}).status_code == 400


def test_health_check_says_unavailable_when_the_database_fails(client, monkeypatch):
    def refuse(*args, **kwargs):
        raise OperationalError("connection refused")

    monkeypatch.setattr("config.views.connection.cursor", refuse)

    response = client.get(reverse("healthz"))

    assert response.status_code == 503
    assert response.json() == {"status": "unavailable", "database": "unreachable"}
