from django.contrib import admin
from django.urls import include, path

from inspections.api import api

admin.site.site_header = "CQC inspection histories: data editing"
admin.site.site_title = "CQC histories admin"
admin.site.index_title = "Edit trusts, inspections, ratings and findings"

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/v1/", api.urls),
    path("", include("inspections.web.urls")),
]

handler404 = "inspections.web.views.page_not_found"
