"""What the app asks of its database beyond the ORM: a longer statement time-out for known long work."""
