"""A local mock of an OpenAI-compatible server, for tests and benchmarks.

It serves real HTTP on 127.0.0.1 (port 0 lets the OS pick) with aiohttp::

    async with MockOpenAI(Script(outputs=["yes", "no"])) as mock:
        ...  # point a client at mock.base_url; mock.requests holds every JSON body

Code that runs its own event loop can use the thread-backed ``running_in_thread()``.
From a shell, for benchmarks::

    python -m assay.testing.mock_openai --port 8000 --latency 0.05
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import json
import re
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from types import TracebackType
from typing import Any

from aiohttp import web

MODEL_ID = "mock-model"
_MALFORMED = '{"id": "chatcmpl-broken", "object": "chat.completion", "choices": [{"mess'


@dataclass
class Script:
    """How the server behaves. Request numbers count POSTs to the completion endpoints, from 1."""

    #: canned outputs cycled in order, or fn(request_body) -> str; None echoes the last user message
    outputs: list[str] | Callable[[dict[str, Any]], str] | None = None
    latency_s: float = 0.0  #: sleep before answering (failures included)
    fail_first: int = 0  #: the first N requests get ``fail_status``
    fail_status: int = 500
    retry_after: float | None = None  #: sets a Retry-After header on failures
    fail_every: int = 0  #: every Nth request (N > 0) fails with ``fail_status``
    malformed_every: int = 0  #: every Nth request returns 200 with a broken body


def _words(text: str) -> int:
    return len(text.split())


def _text(content: Any) -> str:
    """Message content as text; handles the list-of-parts form."""
    if isinstance(content, list):
        return " ".join(str(p.get("text", "")) for p in content if isinstance(p, dict))
    return "" if content is None else str(content)


def _error(status: int, message: str, headers: dict[str, str] | None = None) -> web.Response:
    kind = "rate_limit_error" if status == 429 else "server_error" if status >= 500 else "invalid_request_error"
    body = {"error": {"message": message, "type": kind, "code": status}}
    return web.json_response(body, status=status, headers=headers)


class MockOpenAI:
    """An OpenAI-compatible server on 127.0.0.1 that follows a :class:`Script`."""

    def __init__(self, script: Script | None = None, *, host: str = "127.0.0.1", port: int = 0) -> None:
        self.script = script or Script()
        self.host, self.port = host, port
        self.base_url = ""
        #: every JSON body received by a completion endpoint, in order
        self.requests: list[dict[str, Any]] = []
        #: the headers of those requests, same order (e.g. to check Authorization)
        self.request_headers: list[dict[str, str]] = []
        self._served = itertools.count()  # index into canned outputs
        self._runner: web.AppRunner | None = None

    async def start(self) -> MockOpenAI:
        app = web.Application()
        app.router.add_post("/v1/chat/completions", self._chat)
        app.router.add_post("/v1/completions", self._completions)
        app.router.add_get("/v1/models", self._models)
        runner = web.AppRunner(app, access_log=None, shutdown_timeout=1.0)
        await runner.setup()
        await web.TCPSite(runner, self.host, self.port).start()
        self._runner = runner
        self.port = runner.addresses[0][1]
        self.base_url = f"http://{self.host}:{self.port}/v1"
        return self

    async def stop(self) -> None:
        if self._runner is not None:
            runner, self._runner = self._runner, None
            await runner.cleanup()

    async def __aenter__(self) -> MockOpenAI:
        return await self.start()

    async def __aexit__(self, et: type[BaseException] | None, e: BaseException | None, tb: TracebackType | None) -> None:
        await self.stop()

    # -- behaviour ------------------------------------------------------------------

    async def _receive(self, request: web.Request) -> tuple[dict[str, Any] | None, web.StreamResponse | None]:
        """Record the body and apply latency and scripted failures; a response means stop here."""
        try:
            body = await request.json()
        except ValueError:
            return None, _error(400, "request body is not valid JSON")
        if not isinstance(body, dict):
            return None, _error(400, "request body must be a JSON object")
        self.requests.append(body)
        self.request_headers.append(dict(request.headers))
        n, s = len(self.requests), self.script
        if s.latency_s > 0:
            await asyncio.sleep(s.latency_s)
        if n <= s.fail_first or (s.fail_every > 0 and n % s.fail_every == 0):
            headers = {"Retry-After": f"{s.retry_after:g}"} if s.retry_after is not None else None
            return body, _error(s.fail_status, f"scripted failure of request {n}", headers)
        if s.malformed_every > 0 and n % s.malformed_every == 0:
            if body.get("stream"):
                return body, web.Response(text="data: {broken\n\ndata: [DONE]\n\n", content_type="text/event-stream")
            return body, web.Response(text=_MALFORMED, content_type="application/json")
        return body, None

    def _output(self, body: dict[str, Any], user: str) -> str:
        outputs = self.script.outputs
        if callable(outputs):
            return outputs(body)
        if outputs:
            return outputs[next(self._served) % len(outputs)]
        if (body.get("response_format") or {}).get("type") == "json_object":
            return json.dumps({"echo": user})
        return f"echo: {user}"

    async def _chat(self, request: web.Request) -> web.StreamResponse:
        body, early = await self._receive(request)
        if early is not None:
            return early
        assert body is not None
        messages = body.get("messages")
        if not isinstance(messages, list) or not messages:
            return _error(400, "'messages' must be a non-empty list")
        users = [_text(m.get("content")) for m in messages if isinstance(m, dict) and m.get("role") == "user"]
        output = self._output(body, users[-1] if users else "")
        prompt_tokens = sum(_words(_text(m.get("content"))) for m in messages if isinstance(m, dict))
        return await self._answer(request, body, "chat", output, prompt_tokens)

    async def _completions(self, request: web.Request) -> web.StreamResponse:
        body, early = await self._receive(request)
        if early is not None:
            return early
        assert body is not None
        prompt = body.get("prompt", "")
        prompt = " ".join(map(str, prompt)) if isinstance(prompt, list) else str(prompt)
        return await self._answer(request, body, "text", self._output(body, prompt), _words(prompt))

    async def _models(self, request: web.Request) -> web.Response:
        model = {"id": MODEL_ID, "object": "model", "created": 0, "owned_by": "assay"}
        return web.json_response({"object": "list", "data": [model]})

    async def _answer(
        self, request: web.Request, body: dict[str, Any], kind: str, output: str, prompt_tokens: int
    ) -> web.StreamResponse:
        """A chat.completion / text_completion, or its SSE stream when ``stream`` is true."""
        n, model, created = len(self.requests), str(body.get("model") or MODEL_ID), int(time.time())
        usage = {"prompt_tokens": prompt_tokens, "completion_tokens": _words(output)}
        usage["total_tokens"] = usage["prompt_tokens"] + usage["completion_tokens"]
        chat = kind == "chat"
        head = {"id": f"{'chatcmpl' if chat else 'cmpl'}-mock{n}", "created": created, "model": model}
        if not body.get("stream"):
            choice: dict[str, Any] = {"index": 0, "finish_reason": "stop", "logprobs": None}
            choice.update({"message": {"role": "assistant", "content": output}} if chat else {"text": output})
            obj = "chat.completion" if chat else "text_completion"
            return web.json_response({**head, "object": obj, "choices": [choice], "usage": usage})

        resp = web.StreamResponse(headers={"Content-Type": "text/event-stream", "Cache-Control": "no-cache"})
        await resp.prepare(request)
        obj = "chat.completion.chunk" if chat else "text_completion"

        async def send(choices: list[dict[str, Any]], **extra: Any) -> None:
            await resp.write(f"data: {json.dumps({**head, 'object': obj, 'choices': choices, **extra})}\n\n".encode())

        def piece(delta: str | None, finish: str | None = None) -> dict[str, Any]:
            if chat:
                d = {} if delta is None else {"content": delta}
                return {"index": 0, "delta": d, "finish_reason": finish, "logprobs": None}
            return {"index": 0, "text": delta or "", "finish_reason": finish, "logprobs": None}

        if chat:
            await send([{"index": 0, "delta": {"role": "assistant", "content": ""}, "finish_reason": None}])
        for part in re.findall(r"\s*\S+|\s+$", output):
            await send([piece(part)])
        await send([piece(None, "stop")])
        if (body.get("stream_options") or {}).get("include_usage"):
            await send([], usage=usage)
        await resp.write(b"data: [DONE]\n\n")
        await resp.write_eof()
        return resp


@contextmanager
def running_in_thread(script: Script | None = None) -> Iterator[MockOpenAI]:
    """Run a :class:`MockOpenAI` on its own event loop in a daemon thread, for sync code."""
    loop = asyncio.new_event_loop()
    thread = threading.Thread(target=loop.run_forever, name="mock-openai", daemon=True)
    thread.start()
    mock = MockOpenAI(script)
    try:
        asyncio.run_coroutine_threadsafe(mock.start(), loop).result(timeout=10)
        yield mock
    finally:
        try:
            asyncio.run_coroutine_threadsafe(mock.stop(), loop).result(timeout=10)
        finally:
            loop.call_soon_threadsafe(loop.stop)
            thread.join(timeout=10)
            loop.close()


async def _serve(args: argparse.Namespace) -> None:
    script = Script(latency_s=args.latency, fail_every=args.fail_every, malformed_every=args.malformed_every)
    async with MockOpenAI(script, host=args.host, port=args.port) as mock:
        print(mock.base_url, flush=True)
        await asyncio.Event().wait()


def main(argv: list[str] | None = None) -> None:
    """CLI: serve until Ctrl-C, printing the base URL first."""
    parser = argparse.ArgumentParser(prog="python -m assay.testing.mock_openai", description=__doc__.splitlines()[0])
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8000, help="0 lets the OS pick")
    parser.add_argument("--latency", type=float, default=0.0, help="seconds to sleep before each answer")
    parser.add_argument("--fail-every", type=int, default=0, help="every Nth request fails with HTTP 500")
    parser.add_argument("--malformed-every", type=int, default=0, help="every Nth request gets a broken body")
    try:
        asyncio.run(_serve(parser.parse_args(argv)))
    except KeyboardInterrupt:
        pass


if __name__ == "__main__":
    main()
