"""Email alerts in the admin: followers per trust and each run (counts, for every editor), and the addresses
themselves for superusers only (privacy: an editor never needs an address)."""

from django.contrib import admin
from django.db.models import Count, Q

from inspections.models import AlertRun, Follow, FollowedTrust, Subscriber


class CountsOnlyAdmin(admin.ModelAdmin):
    """Shown, never edited: alerts write these rows."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(FollowedTrust)
class FollowedTrustAdmin(CountsOnlyAdmin):
    list_display = ("name", "confirmed_followers", "awaiting_confirmation")  # fits a phone; the id is searchable
    search_fields = ("name", "provider_id")
    ordering = ("name",)

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(
                confirmed=Count("follows", filter=Q(follows__confirmed_at__isnull=False)),
                waiting=Count("follows", filter=Q(follows__confirmed_at__isnull=True)),
            )
        )

    @admin.display(description="followers", ordering="confirmed")
    def confirmed_followers(self, trust):
        return trust.confirmed

    @admin.display(description="unconfirmed", ordering="waiting")
    def awaiting_confirmation(self, trust):
        return trust.waiting


@admin.register(AlertRun)
class AlertRunAdmin(CountsOnlyAdmin):
    list_display = ("started_at", "finished_at", "cutoff", "messages_sent", "failures", "unconfirmed_removed")
    date_hierarchy = "started_at"

    def changelist_view(self, request, extra_context=None):
        """Above the runs: how many follow, how many follow every trust, and how many addresses are failing."""
        confirmed = Follow.objects.confirmed()
        extra_context = {
            **(extra_context or {}),
            "alert_counts": {
                "subscribers": Subscriber.objects.filter(follows__confirmed_at__isnull=False).distinct().count(),
                "follows": confirmed.count(),
                "every_trust": confirmed.filter(trust__isnull=True).count(),
                "awaiting": Follow.objects.filter(confirmed_at__isnull=True).count(),
                "failing": Subscriber.objects.filter(failures__gt=0).count(),
            },
        }
        return super().changelist_view(request, extra_context)


class FollowInline(admin.TabularInline):
    model = Follow
    extra = 0
    fields = ("trust", "created_at", "confirmed_at", "sent_through")
    readonly_fields = fields
    can_delete = True

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Subscriber)
class SubscriberAdmin(admin.ModelAdmin):
    """Addresses: superusers only, whatever permissions a group grants (the Editors group holds every one)."""

    list_display = ("email", "created_at", "last_sent_at", "failures", "last_failure_at", "last_failure")
    list_filter = ("failures",)
    search_fields = ("email",)
    readonly_fields = ("email", "created_at", "last_sent_at", "failures", "last_failure_at", "last_failure")
    inlines = [FollowInline]

    def has_module_permission(self, request):
        return request.user.is_active and request.user.is_superuser

    def has_view_permission(self, request, obj=None):
        return request.user.is_active and request.user.is_superuser

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return request.user.is_active and request.user.is_superuser
