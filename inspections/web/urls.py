from django.urls import path

from inspections.publishing.dataset_files import DATASETS, EXTENSIONS
from inspections.web import alerts, downloads, feeds, national, source_pages, views

app_name = "inspections"

urlpatterns = [
    path("", views.trust_list, name="trust_list"),
    path("sources/", source_pages.source_list, name="sources"),
    path("sources/<str:code>/", source_pages.source_detail, name="source"),
    path("accessibility/", views.accessibility, name="accessibility"),
    path("privacy/", alerts.privacy, name="privacy"),
    path("alerts/follow/", alerts.follow, name="alert_follow"),
    path("alerts/sign-up/", alerts.sign_up, name="alert_sign_up"),
    path("alerts/confirm/<str:token>/", alerts.confirm, name="alert_confirm"),
    path("alerts/unsubscribe/<str:token>/", alerts.unsubscribe, name="alert_unsubscribe"),
    path("rating-levels.css", views.rating_level_styles, name="rating_level_styles"),
    path("data/", downloads.data, name="data"),
    path("compare/", views.compare, name="compare"),
    path("national/", national.national, name="national"),
    path("national/sites.json", national.national_sites, name="national_sites"),
    path("feeds/reports/", feeds.reports_feed, name="reports_feed"),
    *[
        path(
            f"{spec.prefix}{dataset}.{extension}{suffix}",
            downloads.dataset_download,
            {"dataset": dataset, "extension": extension, "gzipped": bool(suffix)},
            name=f"{dataset}_{extension}{suffix.replace('.', '_')}",
        )
        for dataset, spec in DATASETS.items()
        for extension in EXTENSIONS
        for suffix in ("", ".gz")
    ],
    path("trusts/<slug:trust_slug>/", views.trust_detail, name="trust"),
    path("trusts/<slug:trust_slug>/feed/", feeds.trust_feed, name="trust_feed"),
    path(
        "trusts/<slug:trust_slug>/ratings.csv",
        downloads.trust_ratings_csv,
        name="trust_ratings_csv",
    ),
    path(
        "trusts/<slug:trust_slug>/locations/<slug:location_slug>/",
        views.location_detail,
        name="location",
    ),
    path(
        "trusts/<slug:trust_slug>/inspections/<slug:inspection_slug>/",
        views.inspection_detail,
        name="inspection",
    ),
]
