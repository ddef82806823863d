"""Settings from the environment (prefix DIGEST_) or a .env file; read when asked, never at import."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import AliasChoices, Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

from service.paths import LLM_PRICES, PROMPTS_DIR

DEFAULT_PROMPT = PROMPTS_DIR / "digest-v2.yaml"
DEFAULT_PRICES = LLM_PRICES

StructuredOutputMode = Literal["json_schema", "tools", "json", "text"]


class Settings(BaseSettings):
    model_config = SettingsConfigDict(
        env_prefix="DIGEST_",
        env_file=".env",
        env_file_encoding="utf-8",
        extra="ignore",
        populate_by_name=True,
    )

    llm_base_url: str | None = Field(
        default=None,
        validation_alias=AliasChoices("DIGEST_LLM_BASE_URL", "OPENAI_BASE_URL"),
        description="OpenAI-compatible endpoint (http://127.0.0.1:8080/v1); unset: OpenAI if a key is set",
    )
    llm_api_key: SecretStr | None = Field(
        default=None,
        validation_alias=AliasChoices("DIGEST_LLM_API_KEY", "OPENAI_API_KEY"),
        description="API key of the endpoint (local servers accept any non-empty value)",
    )
    llm_model: str = Field(default="gpt-4o-mini", description="Model name sent to the endpoint")
    llm_mode: StructuredOutputMode = Field(
        default="json_schema",
        description="Structured output: json_schema (OpenAI, vLLM, Ollama), tools (llama.cpp server), json, "
        "text (no constraint: the fastest on llama-cpp-python, whose grammar sampling is slow)",
    )
    llm_temperature: float = Field(default=0.0, ge=0.0, le=2.0)
    llm_max_output_tokens: int = Field(
        default=2_000, ge=256, description="Cap on max_tokens of one call (each task asks for less)"
    )
    llm_context_tokens: int = Field(
        default=16_384,
        ge=2_048,
        description="The model's context window: longer articles are split to fit it",
    )
    llm_max_concurrent_calls: int = Field(
        default=4,
        ge=1,
        le=64,
        description="LLM calls in flight at once, for the process (all processes with DIGEST_REDIS_URL; "
        "1 for a one-at-a-time llama.cpp server: calls wait here, not in the server's queue, so timeouts "
        "start when they leave it)",
    )
    llm_digest_budget_s: float = Field(
        default=300.0, gt=0, description="Total time for one digest's LLM calls, from its first call"
    )
    llm_timeout_s: float = Field(default=90.0, gt=0, description="Timeout of one HTTP call to the LLM")
    llm_max_attempts: int = Field(default=4, ge=1, le=10, description="Tries per call on transport faults")
    llm_max_retry_s: float = Field(
        default=120.0, gt=0, description="Total time for the transport retries of one LLM call"
    )
    llm_max_backoff_s: float = Field(default=20.0, gt=0, description="Longest single wait between retries")
    llm_stream: bool = Field(
        default=False,
        description="Stream answers and end a call at the first list item that repeats an earlier one "
        "(small models at temperature 0 repeat their last item until the token cap)",
    )
    llm_reasks: int = Field(default=2, ge=0, le=2, description="Re-asks on invalid or ungrounded output")
    llm_price_file: Path = Field(
        default=DEFAULT_PRICES, description="Price table ($ per 1M input and output tokens per model)"
    )
    prompt_file: Path = Field(default=DEFAULT_PROMPT, description="Prompt file (YAML) for the LLM engine")
    cache_dir: Path = Field(default=Path(".cache/digests"), description="diskcache directory")
    cache_enabled: bool = True
    host: str = "127.0.0.1"
    port: int = Field(default=8000, ge=1, le=65535)
    gc_gen0_threshold: int = Field(
        default=50_000,
        ge=0,
        description="gen-0 threshold of the server's garbage collector (0: Python's 700)",
    )
    workers: int = Field(
        default=1,
        ge=1,
        le=32,
        description="uvicorn worker processes; limits and single-flight are per process",
    )
    header_timeout_s: float = Field(
        default=10.0, gt=0, description="Seconds a client may take to send a request's headers (digest serve)"
    )
    max_body_bytes: int = Field(default=1_048_576, ge=1_024, description="Largest accepted request body")
    api_keys: Annotated[list[SecretStr], NoDecode] = Field(
        default_factory=list,
        description="Comma-separated API keys; when set, every route but /healthz, /metrics and /schema "
        "needs one (Authorization: Bearer KEY or X-API-Key: KEY)",
    )
    rate_limit_per_minute: int = Field(
        default=60, ge=0, description="Requests per API key per minute (sliding window); 0 = no limit"
    )
    max_llm_in_flight: int = Field(default=8, ge=1, description="LLM digests running at the same time")
    max_llm_queue: int = Field(
        default=32, ge=0, description="LLM digests waiting for a slot; beyond it new ones get 503"
    )
    overload_retry_after_s: int = Field(
        default=5,
        ge=1,
        description="Retry-After (seconds) sent with 503 when the LLM or offline queue is full",
    )
    cpu_workers: int = Field(
        default=2, ge=1, le=64, description="Worker processes for offline digests (CPU-bound rules)"
    )
    cpu_queue: int = Field(
        default=32, ge=0, description="Offline digests waiting for a worker; beyond it new ones get 503"
    )
    article_budget_s: float = Field(
        default=30.0, gt=0, description="Seconds one article may take in a worker; then it is stopped (422)"
    )
    batch_concurrency: int = Field(
        default=8, ge=1, le=256, description="Articles digested at once by `digest batch` and by batch jobs"
    )
    jobs_dir: Path | None = Field(
        default=None, description="diskcache directory of batch jobs (default: the cache directory + '-jobs')"
    )
    max_batch_bytes: int = Field(
        default=64 * 1_048_576, ge=1_024, description="Largest body of POST /v1/batches (413 above)"
    )
    max_batch_items: int = Field(default=10_000, ge=1, description="Most articles in one batch job")
    redis_url: str | None = Field(
        default=None,
        description="Redis shared by replicas and workers (redis://host:6379/0): cache tier, rate limits, "
        "LLM call limit, single-flight, batch jobs on SAQ; unset = everything in this process",
    )
    redis_cache_ttl_s: int = Field(default=7 * 86_400, ge=60, description="Lifetime of a digest in Redis")
    redis_lease_s: float = Field(
        default=10.0,
        ge=0.5,
        le=300,
        description="How long an LLM call slot or single-flight lock in Redis outlives a killed holder "
        "(a live holder renews it every third of that)",
    )
    job_item_timeout_s: int = Field(
        default=300,
        ge=1,
        description="An article of a batch job taking longer is retried (its worker is gone)",
    )
    job_sweep_s: int = Field(default=10, ge=1, description="How often SAQ workers look for stuck articles")
    cors_origins: Annotated[list[str], NoDecode] = Field(
        default_factory=list,
        description="Comma-separated origins that CORS lets call the API (https://desk.example.org); "
        "empty = CORS off",
    )

    @field_validator("api_keys", "cors_origins", mode="before")
    @classmethod
    def _comma_separated(cls, value: Any) -> Any:
        if isinstance(value, str):
            return [item.strip() for item in value.split(",") if item.strip()]
        return value

    @property
    def job_store_dir(self) -> Path:
        return self.jobs_dir or self.cache_dir.with_name(self.cache_dir.name + "-jobs")

    @property
    def llm_configured(self) -> bool:
        return self.llm_base_url is not None or self.llm_api_key is not None


def load_settings() -> Settings:
    return Settings()
