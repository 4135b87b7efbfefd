from django.urls import path

from . import api, feeds, views

app_name = "opendata"

urlpatterns = [
    path("api/v1/", api.index, name="api-root"),
    path("api/v1/organizations/", api.organizations, name="api-organizations"),
    path("api/v1/people/", api.people, name="api-people"),
    path("api/v1/posts/", api.posts, name="api-posts"),
    path("api/v1/memberships/", api.memberships, name="api-memberships"),
    path("api/v1/events/", api.events, name="api-events"),
    path("api/v1/schema/", api.schema, name="api-schema"),
    path("feeds/rss/", feeds.public_view(feeds.PublicRecordFeed()), name="feed-rss"),
    path("feeds/atom/", feeds.public_view(feeds.PublicRecordAtomFeed()), name="feed-atom"),
    path(
        "feeds/bodies/<slug:slug>/rss/", feeds.public_view(feeds.BodyFeed()), name="body-feed-rss"
    ),
    path(
        "feeds/bodies/<slug:slug>/atom/",
        feeds.public_view(feeds.BodyAtomFeed()),
        name="body-feed-atom",
    ),
    path("open-data/", views.developers, name="developers"),
    path("open-data/public-record.zip", views.download_bundle, name="bundle-download"),
    path("open-data/rebuild/", views.rebuild_bundle, name="bundle-rebuild"),
]
