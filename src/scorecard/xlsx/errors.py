"""The reader's one exception and the limits it enforces."""

from __future__ import annotations

from dataclasses import dataclass

from ..errors import InputError


class XlsxError(InputError):
    """A workbook or sheet the reader refuses; `code` is a stable problem code."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message

    def __reduce__(self) -> tuple[type[XlsxError], tuple[str, str]]:
        return (type(self), (self.code, self.message))  # picklable, for worker processes


@dataclass(frozen=True)
class Limits:
    """What the reader accepts: a file, part or cell count beyond these is refused as
    `too-large`; a cell beyond the rows or columns is set aside, not read as the sheet's."""

    max_file_bytes: int = 100_000_000
    max_member_bytes: int = 100_000_000  # declared uncompressed size of one member
    max_total_bytes: int = 300_000_000  # declared uncompressed size of all members
    max_ratio: float = 200.0  # uncompressed / compressed, for members over ratio_floor
    ratio_floor: int = 1_000_000
    max_members: int = 10_000
    max_rows: int = 100_000
    max_cols: int = 1_000
    max_cells: int = 1_000_000  # stored cells in one sheet (a return has a few thousand)


DEFAULT_LIMITS = Limits()
