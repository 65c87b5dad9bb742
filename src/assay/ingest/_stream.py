"""Streamed responses, as apps log them: the chunks (or the server-sent-events text) put
back together into the one response a non-streamed call returns, so that the ``openai``,
``anthropic``, ``responses`` and ``gemini`` shapes read them unchanged.

- OpenAI chat completions: ``chat.completion.chunk`` objects (``choices[].delta`` text,
  tool-call fragments by index, the last chunk's ``usage`` when ``stream_options`` asked
  for it);
- Anthropic messages: ``message_start``, ``content_block_*`` (text, tool input JSON,
  thinking) and ``message_delta`` events;
- OpenAI Responses: the events' final ``response`` (``response.completed``, or
  ``response.incomplete`` / ``response.failed``);
- Gemini ``streamGenerateContent``: the partial ``GenerateContentResponse`` objects.

Either a JSON list of these objects or the SSE body as text (``data: {...}`` lines, with
``event:`` lines and ``data: [DONE]``). Anything else is left as it is (``None``).
"""

from __future__ import annotations

from typing import Any

import orjson

_ANTHROPIC_EVENTS = frozenset({"message_start", "content_block_start", "content_block_delta", "content_block_stop",
                               "message_delta", "message_stop", "ping", "error"})
_RESPONSE_FINAL = ("response.completed", "response.incomplete", "response.failed")


def assembled(value: Any) -> dict[str, Any] | None:
    """The whole response a stream of chunks or events makes, or ``None`` if ``value`` is no
    stream."""
    if isinstance(value, str):
        value = sse_events(value)
    if not isinstance(value, list) or not value or not all(isinstance(c, dict) for c in value):
        return None
    first = value[0]
    kind = first.get("type")
    # (Azure OpenAI's first chunk has no choices: only its prompt filter results)
    if first.get("object") == "chat.completion.chunk" or any(_has_delta(c) for c in value[:3]):
        return _openai_chat(value)
    if isinstance(kind, str) and kind in _ANTHROPIC_EVENTS:
        return _anthropic(value)
    if isinstance(kind, str) and kind.startswith("response."):
        return _responses(value)
    if isinstance(first.get("candidates"), list) or "usageMetadata" in first:
        return _gemini(value)
    return None


def sse_events(text: str) -> list[Any] | None:
    """The JSON objects of a server-sent-events body (its ``data:`` lines), or ``None`` if
    ``text`` is not one."""
    head = text.lstrip()[:6]
    if not (head.startswith("data:") or head.startswith("event:")):
        return None
    events: list[Any] = []
    for line in text.splitlines():
        if not line.startswith("data:"):
            continue
        data = line[5:].strip()
        if not data or data == "[DONE]":
            continue
        try:
            events.append(orjson.loads(data))
        except orjson.JSONDecodeError:
            return None  # not a stream this reads: the row is read as it is
    return events or None


def _list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


def _idx(value: Any, default: int) -> int:
    return value if type(value) is int else default


def _has_delta(chunk: dict[str, Any]) -> bool:
    choices = chunk.get("choices")
    return isinstance(choices, list) and bool(choices) and isinstance(choices[0], dict) and "delta" in choices[0]


def _openai_chat(chunks: list[dict[str, Any]]) -> dict[str, Any]:
    out: dict[str, Any] = {"object": "chat.completion"}
    choices: dict[int, dict[str, Any]] = {}
    for chunk in chunks:
        for key in ("id", "created", "model", "system_fingerprint", "service_tier"):
            if chunk.get(key) is not None and key not in out:
                out[key] = chunk[key]
        if chunk.get("usage") is not None:
            out["usage"] = chunk["usage"]
        for ch in _list(chunk.get("choices")):
            if not isinstance(ch, dict):
                continue
            i = _idx(ch.get("index"), 0)
            acc = choices.setdefault(i, {"role": None, "content": [], "refusal": [], "tools": {}, "finish_reason": None,
                                         "transcript": [], "function": None})
            delta = ch.get("delta") or {}
            if isinstance(delta, dict):
                acc["role"] = acc["role"] or delta.get("role")
                if isinstance(delta.get("content"), str):
                    acc["content"].append(delta["content"])
                if isinstance(delta.get("refusal"), str):
                    acc["refusal"].append(delta["refusal"])
                audio = delta.get("audio")
                if isinstance(audio, dict) and isinstance(audio.get("transcript"), str):  # an audio answer's transcript
                    acc["transcript"].append(audio["transcript"])
                fc = delta.get("function_call")
                if isinstance(fc, dict):  # the legacy functions API
                    f = acc["function"] = acc["function"] or {"name": "", "arguments": []}
                    if isinstance(fc.get("name"), str):
                        f["name"] += fc["name"]
                    if isinstance(fc.get("arguments"), str):
                        f["arguments"].append(fc["arguments"])
                for call in _list(delta.get("tool_calls")):
                    if not isinstance(call, dict):
                        continue
                    tool = acc["tools"].setdefault(_idx(call.get("index"), len(acc["tools"])), {"id": None, "name": "", "arguments": []})
                    tool["id"] = tool["id"] or call.get("id")
                    fn = call.get("function") or {}
                    if isinstance(fn, dict):
                        if isinstance(fn.get("name"), str):
                            tool["name"] += fn["name"]
                        if isinstance(fn.get("arguments"), str):
                            tool["arguments"].append(fn["arguments"])
            if ch.get("finish_reason") is not None:
                acc["finish_reason"] = ch["finish_reason"]
    out["choices"] = []
    for i in sorted(choices):
        acc = choices[i]
        msg: dict[str, Any] = {"role": acc["role"] or "assistant",
                               "content": "".join(acc["content"]) if acc["content"] or not acc["tools"] else None}
        if acc["refusal"]:
            msg["refusal"] = "".join(acc["refusal"])
        if acc["transcript"]:
            msg["audio"] = {"transcript": "".join(acc["transcript"])}
        if acc["function"] is not None:
            msg["function_call"] = {"name": acc["function"]["name"], "arguments": "".join(acc["function"]["arguments"])}
        if acc["tools"]:
            msg["tool_calls"] = [{"id": t["id"], "type": "function", "function": {"name": t["name"], "arguments": "".join(t["arguments"])}}
                                 for _, t in sorted(acc["tools"].items())]
        out["choices"].append({"index": i, "message": msg, "finish_reason": acc["finish_reason"]})
    return out


def _anthropic(events: list[dict[str, Any]]) -> dict[str, Any]:
    out: dict[str, Any] = {"type": "message", "role": "assistant", "content": []}
    blocks: dict[int, dict[str, Any]] = {}
    partial: dict[int, list[str]] = {}
    for ev in events:
        kind = ev.get("type")
        if kind == "message_start" and isinstance(ev.get("message"), dict):
            msg = ev["message"]
            out.update({k: v for k, v in msg.items() if k not in ("content", "type")})
            out["usage"] = dict(msg.get("usage") or {})
        elif kind == "content_block_start" and isinstance(ev.get("content_block"), dict):
            blocks[_idx(ev.get("index"), len(blocks))] = dict(ev["content_block"])
        elif kind == "content_block_delta" and isinstance(ev.get("delta"), dict):
            i, delta = _idx(ev.get("index"), 0), ev["delta"]
            block = blocks.setdefault(i, {"type": "text", "text": ""})
            if delta.get("type") == "text_delta":
                block["text"] = block.get("text", "") + str(delta.get("text", ""))
            elif delta.get("type") == "input_json_delta":
                partial.setdefault(i, []).append(str(delta.get("partial_json", "")))
            elif delta.get("type") == "thinking_delta":
                block["thinking"] = block.get("thinking", "") + str(delta.get("thinking", ""))
        elif kind == "message_delta":
            delta = ev.get("delta") if isinstance(ev.get("delta"), dict) else {}
            for key in ("stop_reason", "stop_sequence"):
                if key in delta:
                    out[key] = delta[key]
            if isinstance(ev.get("usage"), dict):
                out.setdefault("usage", {}).update({k: v for k, v in ev["usage"].items() if v is not None})
        elif kind == "error":
            out["error"] = ev.get("error")
    for i, parts in partial.items():
        text = "".join(parts)
        try:
            blocks[i]["input"] = orjson.loads(text) if text else {}
        except orjson.JSONDecodeError:
            blocks[i]["input"] = text  # cut off mid-stream: kept as the text it is
    out["content"] = [blocks[i] for i in sorted(blocks)]
    return out


def _responses(events: list[dict[str, Any]]) -> dict[str, Any] | None:
    final = None
    for ev in events:
        if ev.get("type") in _RESPONSE_FINAL and isinstance(ev.get("response"), dict):
            final = ev["response"]
    return final


def _gemini(chunks: list[dict[str, Any]]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    parts: dict[int, list[dict[str, Any]]] = {}
    finish: dict[int, Any] = {}
    roles: dict[int, Any] = {}
    for chunk in chunks:
        for key in ("modelVersion", "responseId", "createTime", "usageMetadata", "promptFeedback"):
            if chunk.get(key) is not None:
                out[key] = chunk[key]
        for j, cand in enumerate(_list(chunk.get("candidates"))):
            if not isinstance(cand, dict):
                continue
            i = _idx(cand.get("index"), j)
            content = cand.get("content") if isinstance(cand.get("content"), dict) else {}
            roles[i] = roles.get(i) or content.get("role")
            acc = parts.setdefault(i, [])
            for part in _list(content.get("parts")):
                if not isinstance(part, dict):
                    continue
                if set(part) == {"text"} and acc and set(acc[-1]) == {"text"}:
                    acc[-1] = {"text": acc[-1]["text"] + str(part["text"])}  # one text part, as a whole response has it
                else:
                    acc.append(dict(part))
            if cand.get("finishReason") is not None:
                finish[i] = cand["finishReason"]
    out["candidates"] = [{"index": i, "content": {"role": roles.get(i) or "model", "parts": parts[i]},
                          **({"finishReason": finish[i]} if i in finish else {})} for i in sorted(parts)]
    return out
