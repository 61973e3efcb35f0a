"""What the tool writes in both languages (``--lang zh|en``): each text once, with its Chinese and English.

Every floor writes its own words this way: a result's cell, a view's legend, a loader's problem.
A renderer shows the one asked for.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["Words", "LANGS"]

LANGS = ("zh", "en")


@dataclass(frozen=True)
class Words:
    """A text in Chinese and English (a post: ``党组织 康乐社区党总支（兼职委员）`` / ``Party Org
    康乐社区党总支 (part time member)``); ``text(lang)`` is the one asked for, ``format`` fills both.

    >>> Words("{n} 个节点", "{n} nodes").format(n=3).text("en")
    '3 nodes'
    """

    zh: str
    en: str

    def text(self, lang: str) -> str:
        return self.zh if lang == "zh" else self.en

    def format(self, *args, **fields) -> Words:
        return Words(self.zh.format(*args, **fields), self.en.format(*args, **fields))

    def __str__(self) -> str:
        return self.zh

    @classmethod
    def of_message(cls, message: str) -> Words:
        """A loader's message as the loaders write it, ``中文 (English)``: the English is the last
        bracketed part, after a space, when it starts with a Latin letter or a digit (it may quote a
        header or a value, which stay as written). A message without one is the same in both.

        >>> Words.of_message("引用的社区不存在 (unknown reference)")
        Words(zh='引用的社区不存在', en='unknown reference')
        >>> Words.of_message("同一日期有不同的评价 (第3行: 优秀); 请只保留一条 (rows 3, 5: keep one)").zh
        '同一日期有不同的评价 (第3行: 优秀); 请只保留一条'
        """
        if message.endswith(")"):
            depth = 0
            for index in range(len(message) - 1, 0, -1):
                depth += {")": 1, "(": -1}.get(message[index], 0)
                if depth == 0:
                    english = message[index + 1:-1]
                    if message[index - 1] == " " and english[:1].isascii() and english[:1].isalnum():
                        return cls(message[:index - 1], english)
                    break
        return cls(message, message)
