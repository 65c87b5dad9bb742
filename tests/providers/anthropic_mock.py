"""A small Anthropic Messages API mock on 127.0.0.1 (synthetic answers, for tests).

With ``"stream": true`` in the request it answers with the Messages API's server-sent
events: message_start (input usage), content_block_start/delta/stop per block (text in
word-sized text_delta pieces, tool input as input_json_delta pieces), ping,
message_delta (stop reason, output usage), message_stop.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from aiohttp import web


class MockAnthropic:
    """Serves ``POST /v1/messages``; ``answer(body) -> text`` decides the reply.

    ``fail_first`` requests get ``fail_status`` (with ``retry-after`` when set). Streams:
    ``stream_cut_after`` ends the stream after that many events (no message_stop),
    ``stream_error`` sends an ``error`` event of that type after the first text piece,
    ``stream_garbage`` sends a data line that is not JSON.
    """

    def __init__(self, answer: Callable[[dict[str, Any]], Any] | None = None, *, fail_first: int = 0,
                 fail_status: int = 529, retry_after: float | None = None, stream_cut_after: int | None = None,
                 stream_error: str | None = None, stream_garbage: bool = False) -> None:
        self.stream_cut_after, self.stream_error, self.stream_garbage = stream_cut_after, stream_error, stream_garbage
        self.answer = answer or (lambda body: "echo: " + body["messages"][-1]["content"])
        self.fail_first, self.fail_status, self.retry_after = fail_first, fail_status, retry_after
        self.requests: list[dict[str, Any]] = []
        self.headers: list[dict[str, str]] = []
        self._runner: web.AppRunner | None = None
        self.base_url = ""

    async def _messages(self, request: web.Request) -> web.Response:
        body = await request.json()
        self.requests.append(body)
        self.headers.append({k.lower(): v for k, v in request.headers.items()})
        if "max_tokens" not in body:
            return web.json_response({"type": "error", "error": {"type": "invalid_request_error", "message": "max_tokens: Field required"}}, status=400)
        if len(self.requests) <= self.fail_first:
            hdrs = {"retry-after": f"{self.retry_after:g}"} if self.retry_after is not None else None
            return web.json_response({"type": "error", "error": {"type": "overloaded_error", "message": "Overloaded"}}, status=self.fail_status, headers=hdrs)
        out = self.answer(body)
        content = out if isinstance(out, list) else [{"type": "text", "text": out}]
        words = sum(len(str(m["content"]).split()) for m in body["messages"]) + len(str(body.get("system", "")).split())
        if body.get("stream"):
            return await self._stream(request, body, content, words)
        return web.json_response({
            "id": f"msg_{len(self.requests)}", "type": "message", "role": "assistant", "model": body["model"],
            "content": content, "stop_reason": "end_turn", "stop_sequence": None,
            "usage": {"input_tokens": words, "output_tokens": sum(len(str(c.get("text", "")).split()) for c in content),
                      "cache_read_input_tokens": 2},
        })

    def _events(self, body: dict[str, Any], content: list[dict[str, Any]], words: int) -> list[tuple[str, Any]]:
        n_out = sum(len(str(c.get("text", "")).split()) for c in content)
        ev: list[tuple[str, Any]] = [("message_start", {"type": "message_start", "message": {
            "id": f"msg_{len(self.requests)}", "type": "message", "role": "assistant", "model": body["model"], "content": [],
            "stop_reason": None, "stop_sequence": None,
            "usage": {"input_tokens": words, "output_tokens": 1, "cache_read_input_tokens": 2}}})]
        for i, block in enumerate(content):
            if block["type"] == "text":
                ev.append(("content_block_start", {"type": "content_block_start", "index": i, "content_block": {"type": "text", "text": ""}}))
                pieces = [w + " " for w in block["text"].split(" ")]
                pieces[-1] = pieces[-1][:-1]
                for k, piece in enumerate(pieces):
                    ev.append(("content_block_delta", {"type": "content_block_delta", "index": i, "delta": {"type": "text_delta", "text": piece}}))
                    if k == 0 and self.stream_error:
                        ev.append(("error", {"type": "error", "error": {"type": self.stream_error, "message": "Overloaded"}}))
                    if k == 0 and self.stream_garbage:
                        ev.append(("content_block_delta", "{not json"))
                    if k == 0:
                        ev.append(("ping", {"type": "ping"}))
            else:
                raw = json.dumps(block["input"])
                start = {**block, "input": {}}
                ev.append(("content_block_start", {"type": "content_block_start", "index": i, "content_block": start}))
                for k in range(0, len(raw), 5):
                    ev.append(("content_block_delta", {"type": "content_block_delta", "index": i,
                                                       "delta": {"type": "input_json_delta", "partial_json": raw[k : k + 5]}}))
            ev.append(("content_block_stop", {"type": "content_block_stop", "index": i}))
        stop = "tool_use" if any(c["type"] == "tool_use" for c in content) else "end_turn"
        ev.append(("message_delta", {"type": "message_delta", "delta": {"stop_reason": stop, "stop_sequence": None},
                                     "usage": {"output_tokens": n_out}}))
        ev.append(("message_stop", {"type": "message_stop"}))
        return ev

    async def _stream(self, request: web.Request, body: dict[str, Any], content: list[dict[str, Any]], words: int) -> web.StreamResponse:
        resp = web.StreamResponse(headers={"Content-Type": "text/event-stream"})
        await resp.prepare(request)
        events = self._events(body, content, words)
        if self.stream_cut_after is not None:
            events = events[: self.stream_cut_after]
        for name, data in events:
            payload = data if isinstance(data, str) else json.dumps(data)
            await resp.write(f"event: {name}\ndata: {payload}\n\n".encode())
        await resp.write_eof()
        return resp

    async def __aenter__(self) -> "MockAnthropic":
        app = web.Application()
        app.router.add_post("/v1/messages", self._messages)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        await web.TCPSite(self._runner, "127.0.0.1", 0).start()
        self.base_url = f"http://127.0.0.1:{self._runner.addresses[0][1]}/v1"
        return self

    async def __aexit__(self, *exc: object) -> None:
        assert self._runner is not None
        await self._runner.cleanup()
