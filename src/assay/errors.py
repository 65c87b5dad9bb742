"""The exception tree of assay.

    AssayError                 every error assay raises on purpose; the CLI prints it without a traceback
    ├── ConfigError            assay.yaml is missing or invalid (carries file, line, field)
    ├── InputError             a data file cannot be read (carries file, line)
    ├── StoreError             the store is missing, locked or at an unexpected schema version
    ├── NotFoundError          a named thing (eval set, run, candidate, profile) does not exist
    └── ProviderError          a model provider failed (carries candidate and reason)
        └── MissingDependency  an optional extra is not installed (says which one)
"""

from __future__ import annotations


class AssayError(Exception):
    """Root of every error assay raises deliberately.

    ``hint`` is the next thing the user should do; the CLI prints it under the message.
    """

    def __init__(self, message: str, *, hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint

    def __str__(self) -> str:
        return self.message if not self.hint else f"{self.message}\n  hint: {self.hint}"


class ConfigError(AssayError):
    def __init__(
        self,
        message: str,
        *,
        file: str | None = None,
        line: int | None = None,
        field: str | None = None,
        hint: str | None = None,
    ) -> None:
        where = ""
        if file:
            where = file + (f":{line}" if line else "")
        if field:
            where = f"{where} [{field}]" if where else f"[{field}]"
        super().__init__(f"{where}: {message}" if where else message, hint=hint)
        self.file, self.line, self.field = file, line, field


class InputError(AssayError):
    def __init__(self, message: str, *, file: str | None = None, line: int | None = None, hint: str | None = None) -> None:
        where = f"{file}:{line}" if file and line else (file or "")
        super().__init__(f"{where}: {message}" if where else message, hint=hint)
        self.file, self.line = file, line
        self.reason = message
        """The message without the file and line."""


class StoreError(AssayError):
    pass


class NotFoundError(AssayError):
    pass


class ProviderError(AssayError):
    def __init__(self, message: str, *, candidate: str | None = None, retryable: bool = False, hint: str | None = None) -> None:
        super().__init__(f"{candidate}: {message}" if candidate else message, hint=hint)
        self.candidate = candidate
        self.retryable = retryable


class MissingDependency(ProviderError):
    def __init__(self, package: str, extra: str) -> None:
        super().__init__(
            f"the optional package {package!r} is not installed",
            hint=f"install it with: pip install 'assay[{extra}]'",
        )
        self.package, self.extra = package, extra
