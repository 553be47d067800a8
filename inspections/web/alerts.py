"""Email alerts' pages: the sign-up (two steps, for the cached pages' sake), the confirmation and unsubscribe
links, and /privacy/.

Trust pages and /national/ are cached whole, so the form they carry cannot hold a visitor's CSRF token. It posts
to `follow`, which writes nothing and answers with the same form holding this visitor's token; only `sign_up`,
CSRF-protected as any Django form, holds an address and sends the confirmation (decision record 0015). The
confirmation and unsubscribe links carry a signed token, which is their protection: a mail client's one-click
unsubscribe (RFC 8058) posts without any cookie.
"""

from django import forms
from django.conf import settings
from django.shortcuts import render
from django.utils.module_loading import import_string
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from inspections.alerts import rate_limits, signups, tokens
from inspections.models import UNCONFIRMED_DAYS, Trust


class FollowForm(forms.Form):
    email = forms.EmailField(
        label="Your email address",
        max_length=254,
        error_messages={
            "required": "Enter your email address.",
            "invalid": "Enter an email address like name@example.org.",
        },
    )
    trust = forms.SlugField(required=False, widget=forms.HiddenInput)

    def clean_trust(self) -> Trust | None:
        slug = self.cleaned_data["trust"]
        if not slug:
            return None
        trust = Trust.objects.filter(slug=slug).first()
        if trust is None:
            raise forms.ValidationError("We hold no such trust.")
        return trust


def _form_page(request, form, *, status=200, refusal=""):
    """The form to check and send; an unknown trust is a bad address (404)."""
    if "trust" in form.errors:
        return render(request, "404.html", {"message": "We hold no trust with that address."}, status=404)
    trust = form.cleaned_data.get("trust") if hasattr(form, "cleaned_data") else None
    context = {"form": form, "trust": trust, "refusal": refusal, "days": UNCONFIRMED_DAYS}
    return render(request, "inspections/alerts/follow.html", context, status=status)


@csrf_exempt  # writes nothing: it answers with the form again, holding this visitor's CSRF token
@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def follow(request):
    """Step one: the address from a cached page's form (or ?trust= from a link), shown to check and send."""
    if request.method == "POST":
        form = FollowForm(request.POST)
    else:
        form = FollowForm({"trust": request.GET.get("trust", ""), "email": ""})
    form.is_valid()
    if request.method != "POST" and "trust" not in form.errors:
        form.errors.pop("email", None)  # nothing typed yet is no mistake
    return _form_page(request, form)


@csrf_protect
@never_cache
@require_POST
def sign_up(request):
    """Step two: hold the sign-up and email the confirmation link, unless the address or client asked too often."""
    form = FollowForm(request.POST)
    if not form.is_valid():
        return _form_page(request, form, status=400)
    client = import_string(settings.AXES_CLIENT_IP_CALLABLE)(request) or "unknown"
    refusal = rate_limits.refusal(email=form.cleaned_data["email"], client=client)
    if refusal:
        return _form_page(request, form, status=429, refusal=refusal)
    result = signups.sign_up(email=form.cleaned_data["email"], trust=form.cleaned_data["trust"])
    context = {
        "email": result.follow.subscriber.email,
        "what": result.follow.what,
        "days": UNCONFIRMED_DAYS,
        "trust": result.follow.trust,
    }
    return render(request, "inspections/alerts/check_email.html", context)


def _link_problem(request, error: tokens.BadToken):
    if isinstance(error, tokens.ExpiredToken):
        message = (
            f"This confirmation link has expired: links work for {UNCONFIRMED_DAYS} days. "
            "Sign up again on the trust's page and we will send a new one."
        )
        return render(request, "inspections/alerts/link_problem.html", {"message": message}, status=410)
    message = (
        "This link is not one we sent, or what it was for no longer exists "
        "(an address is deleted when it unsubscribes)."
    )
    return render(request, "inspections/alerts/link_problem.html", {"message": message}, status=404)


@csrf_exempt  # the signed token is the protection
@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def confirm(request, token):
    """GET shows a button (a mail scanner that follows links confirms nothing); POST confirms."""
    try:
        follow = tokens.follow_of(token)
    except tokens.BadToken as error:
        return _link_problem(request, error)
    if request.method == "POST":
        signups.confirm(follow)
    context = {"follow": follow, "confirmed": follow.confirmed_at is not None, "what": follow.what}
    return render(request, "inspections/alerts/confirm.html", context)


@csrf_exempt  # the signed token is the protection; mail clients' one-click POST carries no cookie
@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def unsubscribe(request, token):
    """GET shows a button; POST (ours, or a mail client's List-Unsubscribe=One-Click) deletes the address."""
    try:
        subscriber = tokens.subscriber_of(token)
    except tokens.BadToken as error:
        return _link_problem(request, error)
    if request.method == "POST":
        signups.unsubscribe(subscriber)
        return render(request, "inspections/alerts/unsubscribed.html", {})
    return render(request, "inspections/alerts/unsubscribe.html", {"token": token})


@require_safe
def privacy(request):
    return render(request, "inspections/privacy.html", {"days": UNCONFIRMED_DAYS})
