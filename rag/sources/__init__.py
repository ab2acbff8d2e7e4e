"""Sources kept in sync: a URI, a collection, a schedule and its state, synced by the server."""
