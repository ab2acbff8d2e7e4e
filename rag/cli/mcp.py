"""`rag mcp`: an MCP server on stdio for desktop clients and IDEs (rag/mcp/stdio.py)."""

from rag.settings import load_settings


def mcp() -> None:
    """Serve MCP on stdin/stdout through the API server (started if none runs). Uses the key
    in RAG_MCP_KEY, else acts as the local user."""
    from rag.mcp.stdio import run_stdio

    run_stdio(load_settings())
