"""Who spoke, for which unit: the byline grammar applied to every place the genre states a speaker.

An interview names its speaker in one of these places, and a piece takes the first that the page has, in this order
(each record says which in ``speaker_source``):

* ``byline`` — a byline line: 区发改局局长 李明： (:mod:`searcher.reading.bylines`);
* ``guest`` — an online interview's guest line, or a magazine's: 嘉宾：区农业农村局局长 吴立群, 受访者：…
  (several guests: the first);
* ``subtitle`` / ``headline`` / ``kicker`` — a title line that says who was interviewed: ——访石梁镇党委书记 王建国,
  专访｜区卫健局局长张华：…, 对话区发改局局长李明;
* ``narration`` — the lead (the first two paragraphs of the piece) says it: 近日，记者专访了市发改委主任李明 /
  区卫健局党委书记、局长张华日前接受本报记者专访.

Every candidate goes through the same grammar (unit + posts + a name that begins with a surname), so what a sentence
merely mentions never becomes a speaker: 记者走访了石梁镇多个村 names no post and no person, and is nobody. Questions
and answers (问：/答：, 记者：, the speaker's name and a colon) stay in the body, in order; the person comes from one of
the places above.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from searcher.reading.bylines import Byline, parse_byline
from searcher.reading.lexicon import simplified

__all__ = ["GUEST", "guest_of", "speaker_in_narration", "speaker_in_title"]

#: An online interview's guest line (嘉宾：…, 访谈嘉宾：…, 本期嘉宾：…) or a magazine's (受访者：…).
GUEST = re.compile(
    r"^[【\[]?\s*(?:(?:本期|访谈|在线访谈|做客|特邀)?\s*嘉\s*宾|受\s*访\s*者|受访人|访谈对象)\s*[】\]]?\s*[：:]\s*(?P<who>\S.*)$"
)
# A title that names who was interviewed: the word must open the title or follow a dash or separator, so that 走访,
# 回访 and 访问 inside a headline are not read as 访.
_TITLE = re.compile(r"^(?:[—–－\-\s]*|.{0,12}[｜|丨:：\s])(?:专访|访谈|对话|访)\s*[：:｜|丨]?\s*(?P<who>\S.{3,60})$")
# Narration: 记者专访了…, 采访了…; …接受本报记者专访. A clause, never across 。，；.
_INTERVIEWED = re.compile(r"(?:专访|采访|对话)了?(?P<who>[^，。；！？“”\"]{4,40}?)(?=[，。；！？]|$)")
_ACCEPTED = re.compile(
    r"(?P<who>[^，。；！？“”\"]{4,40}?)(?:日前|近日|近期|在[^，。；]{1,15})?接受了?(?:本报|本台|本刊|本网|新华社|我们)?"
    r"(?:记者|融媒体记者)?的?(?:专访|采访)"
)


_BEFORE_SPEAKER = re.compile(r"特邀|邀请|请到|记者|本报|日前|近日|近期|在[^，。]{1,20}?(?:室|厅|现场|会上|期间)")


def _person(text: str) -> Byline | None:
    """The byline that ``text`` is once trailing punctuation is taken off (a name at the end of a clause)."""
    found = parse_byline(text.strip().rstrip("，。；！？、,.;!?"))
    return found if found is not None and found.person else None


def guest_of(line: str) -> Byline | None:
    """Return the first guest a guest line names (嘉宾：区农业农村局局长 吴立群；…), else ``None``."""
    found = GUEST.match(simplified(line))
    if found is None:
        return None
    start = found.start("who")
    first = re.split(r"[；;]", line[start:], maxsplit=1)[0]
    return _person(first)


def speaker_in_title(line: str) -> Byline | None:
    """Return who a title line says was interviewed (——访石梁镇党委书记 王建国), else ``None``."""
    found = _TITLE.match(simplified(line))
    if found is None:
        return None
    return _person(line[found.start("who") :])


def speaker_in_narration(paragraphs: Sequence[str]) -> Byline | None:
    """Return who the lead says was interviewed (its first two paragraphs), else ``None``."""
    for paragraph in paragraphs[:2]:
        view = simplified(paragraph)
        for pattern in (_INTERVIEWED, _ACCEPTED):
            for found in pattern.finditer(view):
                who = paragraph[found.start("who") : found.end("who")]
                # What the clause says before the speaker ends at its last place or invitation word (在…演播室特邀
                # 某市委常委 …): the speaker comes after it.
                lead = list(_BEFORE_SPEAKER.finditer(simplified(who)))
                who = who[lead[-1].end() :] if lead else who
                # The clause may open with what the sentence says before the speaker (日前, 记者): the byline is the
                # longest ending of the clause that the grammar reads.
                for cut in range(len(who) - 3):
                    byline = _person(who[cut:])
                    if byline is not None and byline.unit:
                        return byline
    return None
