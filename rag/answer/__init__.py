"""The answer stage: a typed request goes down a chain of answerers (tool route, document
arithmetic, model tool calls, abstention, grounded generation, extractive quote). See
rag/answer/orchestrator.py for the chain and rag/answer/types.py for what goes in and out."""
