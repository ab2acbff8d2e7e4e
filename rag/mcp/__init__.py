"""The MCP server (official `mcp` SDK, major version 2): tools and resources for agents.

Every tool is a call to the REST API with the caller's key, so an agent gets exactly that
key's scopes, its requests are audited like any other, and the API server stays the one owner
of the data directory. `rag mcp` serves it on stdio (rag/mcp/stdio.py); the API server serves
it over streamable HTTP at `/mcp` (rag/mcp/http.py).
"""
