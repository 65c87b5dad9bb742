"""A synthetic OpenAI-compatible server on 127.0.0.1 that injects faults, for runner tests.

Each request draws one outcome from a seeded RNG: ``rate`` of them fail, spread evenly
over HTTP 500, HTTP 429 (Retry-After), a hang past the client's timeout, a body cut off
mid-way, and a 200 whose body is not JSON. The rest answer by keyword. ``echo_auth``
makes every failure echo the Authorization header (as some servers do).
"""

from __future__ import annotations

import asyncio
import json
import random
from collections import Counter
from typing import Any

from aiohttp import web

FAULTS = ["500", "429", "hang", "truncated", "invalid_json"]


def by_keyword(text: str) -> str:
    text = text.lower()
    return "refund_status" if "refund" in text else "password_reset" if "password" in text else "order_status"


class FaultServer:
    def __init__(self, rate: float = 0.2, *, seed: int = 1, hang_s: float = 1.0, echo_auth: bool = False,
                 fail_all: bool = False, only: str | None = None) -> None:
        self.rate, self.hang_s, self.echo_auth, self.fail_all = rate, hang_s, echo_auth, fail_all
        self.only = only  #: inject only this fault
        self.rng = random.Random(seed)
        self.per_prompt: Counter[str] = Counter()
        self.outcomes: Counter[str] = Counter()
        self.base_url = ""
        self._runner: web.AppRunner | None = None

    async def _chat(self, request: web.Request) -> web.StreamResponse:
        body = await request.json()
        prompt = body["messages"][-1]["content"]
        self.per_prompt[prompt] += 1
        fault = (self.only or self.rng.choice(FAULTS)) if (self.fail_all or self.rng.random() < self.rate) else "ok"
        self.outcomes[fault] += 1
        extra = f" auth={request.headers.get('Authorization')}" if self.echo_auth else ""
        if fault == "500":
            return web.json_response({"error": {"message": "boom" + extra}}, status=500)
        if fault == "429":
            return web.json_response({"error": {"message": "slow down" + extra}}, status=429, headers={"Retry-After": "0.01"})
        if fault == "hang":
            await asyncio.sleep(self.hang_s)
        answer = json.dumps({"choices": [{"message": {"role": "assistant", "content": by_keyword(prompt)}}],
                             "usage": {"prompt_tokens": 10, "completion_tokens": 1}}).encode()
        if fault == "invalid_json":
            return web.Response(body=b"<html>bad gateway" + extra.encode(), content_type="application/json")
        if fault == "truncated":
            resp = web.StreamResponse(headers={"Content-Type": "application/json"})
            resp.content_length = len(answer)
            await resp.prepare(request)
            await resp.write(answer[: len(answer) // 2])
            assert request.transport is not None
            request.transport.close()
            return resp
        return web.Response(body=answer, content_type="application/json")

    async def start(self) -> "FaultServer":
        app = web.Application()
        app.router.add_post("/v1/chat/completions", self._chat)
        self._runner = web.AppRunner(app, access_log=None, shutdown_timeout=0.5)
        await self._runner.setup()
        await web.TCPSite(self._runner, "127.0.0.1", 0).start()
        self.base_url = f"http://127.0.0.1:{self._runner.addresses[0][1]}/v1"
        return self

    async def stop(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()


def in_thread(server: FaultServer) -> Any:
    """Start ``server`` on its own loop in a daemon thread; returns a stop function."""
    import threading

    loop = asyncio.new_event_loop()
    t = threading.Thread(target=loop.run_forever, daemon=True)
    t.start()
    asyncio.run_coroutine_threadsafe(server.start(), loop).result(10)

    def stop() -> None:
        asyncio.run_coroutine_threadsafe(server.stop(), loop).result(10)
        loop.call_soon_threadsafe(loop.stop)
        t.join(5)

    return stop
