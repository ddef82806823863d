"""The contract: pydantic models of the request and the digest (imports nothing of ours)."""
