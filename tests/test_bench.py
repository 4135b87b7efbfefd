"""The baseline view bench/run compares pages with: off unless asked for, and behind sign-in."""

import importlib

import pytest
from django.urls import NoReverseMatch, clear_url_caches, reverse

import config.urls

pytestmark = pytest.mark.django_db

BASELINE = "/_bench/baseline/"


@pytest.fixture
def benchmark_views(settings):
    settings.BENCHMARK_VIEWS = True
    importlib.reload(config.urls)
    clear_url_caches()
    yield
    settings.BENCHMARK_VIEWS = False
    importlib.reload(config.urls)
    clear_url_caches()


def test_baseline_is_not_mounted_without_the_flag(client, board_member):
    client.force_login(board_member)

    with pytest.raises(NoReverseMatch):
        reverse("bench-baseline")
    assert client.get(BASELINE).status_code == 404


def test_baseline_answers_a_signed_in_member_with_one_query_of_its_own(
    benchmark_views, client, board_member, django_assert_num_queries
):
    client.force_login(board_member)

    # session, user, SELECT 1
    with django_assert_num_queries(3):
        response = client.get(reverse("bench-baseline"))

    assert response.status_code == 200
    assert response.content == f"ok 1 {board_member.pk}\n".encode()
    assert "Content-Security-Policy" in response.headers
    assert "no-cache" in response.headers["Cache-Control"]


def test_baseline_sends_the_signed_out_to_sign_in(benchmark_views, client):
    response = client.get(BASELINE)

    assert response.status_code == 302
    assert response.headers["Location"] == f"{reverse('login')}?next={BASELINE}"
