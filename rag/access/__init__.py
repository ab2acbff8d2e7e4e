"""Who may do what: API keys with a role and collection scopes, the local user's token, and
the audit log of every request the API answers.

Front doors authenticate a request into a `Caller` (rag/access/caller.py) and ask it before
touching a collection; nothing here imports FastAPI.
"""
