"""Email alerts: sign-up with a confirmation link, one message per subscriber per run of `send_alerts` listing
the reports that arrived since their last, and one-click unsubscribe (decision record 0015).

`tokens` the signed links; `rate_limits` sign-ups per address and per client; `signups` sign up, confirm,
unsubscribe and the removal of unconfirmed sign-ups; `messages` the emails' text and HTML; `sending` the run.
"""
