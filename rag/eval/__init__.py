"""Evaluation (`rag eval`): retrieval metrics on a labelled folder (`retrieval`), the answers
users get scored against gold answers and sources (`answers`), and an LLM faithfulness judge
(`judge`)."""
