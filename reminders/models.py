# The reminder outbox arrives with issue 5.
