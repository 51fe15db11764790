"""Synthetic Vietnamese news with planted topics, for the related-articles benchmark and tests.

Each topic is a news story followed over a few weeks: its own two-syllable
words, its own people and often its own tag. Around it: Zipf-distributed
everyday vocabulary shared by all articles, five categories, a pool of
general tags and people unrelated to topics, and some articles with no topic.
An article's topic is known, so precision@k of a related-articles method is
"how many of its top k share the article's topic".
"""
from __future__ import annotations

import itertools
import random
import unicodedata
from dataclasses import dataclass
from datetime import datetime, timedelta

CATEGORIES = ["Xây dựng Đảng", "Kiểm tra - Giám sát", "Tuyên giáo - Dân vận", "Đoàn thể", "Tin hoạt động"]
ONSETS = ["", "b", "c", "ch", "d", "đ", "g", "gi", "h", "kh", "l", "m", "n", "ng", "nh", "ph", "qu",
          "s", "t", "th", "tr", "v", "x"]
RHYMES = ["a", "ai", "am", "an", "ang", "anh", "ao", "at", "ay", "âm", "ân", "âu", "em", "en", "ê",
          "ên", "i", "im", "in", "inh", "iêu", "o", "oa", "oan", "oi", "ong", "ô", "ôi", "ông", "ơi",
          "ơn", "u", "ui", "un", "ung", "uy", "ưa", "ưng", "ương", "ươi"]
TONES = ["", "\u0300", "\u0301", "\u0309", "\u0303", "\u0323"]  # huyền, sắc, hỏi, ngã, nặng
VOWELS = set("aăâeêioôơuưy")
FAMILY = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Phan", "Vũ", "Đặng", "Bùi", "Đỗ", "Hồ", "Thái"]
MIDDLE = ["Văn", "Thị", "Hữu", "Đức", "Thanh", "Xuân", "Minh", "Ngọc"]
GENERAL_TAGS = 40
# Leaders who appear across all stories, as in real provincial news.
GENERAL_PEOPLE = 20


@dataclass(frozen=True)
class SyntheticArticle:
    slug: str
    date: datetime
    title: str
    summary: str
    body: str
    category: str
    tags: tuple[str, ...]
    people: tuple[str, ...]
    topic: int | None  # None: an article about nothing planted


def _syllable(onset: str, rhyme: str, tone: str) -> str:
    # The tone mark goes on the rhyme's last vowel (good enough to look Vietnamese).
    position = max(i for i, ch in enumerate(rhyme) if ch in VOWELS)
    return unicodedata.normalize("NFC", onset + rhyme[: position + 1] + tone + rhyme[position + 1:])


def syllable_inventory(rng: random.Random) -> list[str]:
    found = sorted({_syllable(o, r, t) for o, r, t in itertools.product(ONSETS, RHYMES, TONES)})
    rng.shuffle(found)
    return found


def _zipf_weights(count: int, exponent: float = 1.07) -> list[float]:
    return list(itertools.accumulate(1 / (rank + 1) ** exponent for rank in range(count)))


class _Vocabulary:
    def __init__(self, rng: random.Random):
        inventory = syllable_inventory(rng)
        everyday = inventory[:1500]
        self.words = [" ".join(rng.sample(everyday, rng.choice((1, 2, 2, 2)))) for _ in range(4000)]
        self.cumulative = _zipf_weights(len(self.words))
        self.rare = inventory[1500:]  # topic words are made from these

    def everyday(self, rng: random.Random, count: int) -> list[str]:
        return rng.choices(self.words, cum_weights=self.cumulative, k=count)


def _name(rng: random.Random, given: list[str]) -> str:
    return f"{rng.choice(FAMILY)} {rng.choice(MIDDLE)} {rng.choice(given).capitalize()}"


def _sentence(rng: random.Random, vocabulary: _Vocabulary, length: int, planted: list[str], plant: int) -> str:
    words = vocabulary.everyday(rng, length)
    for word in rng.choices(planted, k=plant) if planted else ():
        words.insert(rng.randrange(len(words) + 1), word)
    return " ".join(words)


def generate(count: int, seed: int = 2024, topic_size: int = 20, topic_share: float = 0.7,
             body_words: int = 220) -> list[SyntheticArticle]:
    """``count`` articles; about ``topic_share`` of them in topics of ``topic_size``."""
    rng = random.Random(seed)
    vocabulary = _Vocabulary(rng)
    start = datetime(2014, 1, 1, 7, 0)
    span_hours = 24 * 365 * 12
    topics = max(1, int(count * topic_share) // topic_size)
    stories = []
    for topic in range(topics):
        stories.append({
            "words": [" ".join(rng.sample(vocabulary.rare, 2)) for _ in range(6)],
            "people": [_name(rng, vocabulary.rare) for _ in range(2)],
            "tag": f"Chủ đề {topic + 1}",
            "center": rng.randrange(span_hours),
        })
    general_tags = [f"Thẻ chung {n + 1}" for n in range(GENERAL_TAGS)]
    general_people = [_name(rng, vocabulary.rare) for _ in range(GENERAL_PEOPLE)]
    articles = []
    for number in range(count):
        topic = number % topics if number < topics * topic_size else None
        story = stories[topic] if topic is not None else None
        if story:
            hours = story["center"] + rng.randrange(-24 * 30, 24 * 30)
        else:
            hours = rng.randrange(span_hours)
        planted = story["words"] if story else []
        tags = rng.sample(general_tags, rng.choice((1, 2)))
        people = []
        if story and rng.random() < 0.5:
            tags.append(story["tag"])
        if story and rng.random() < 0.4:
            people.append(rng.choice(story["people"]))
        if rng.random() < 0.15:
            people.append(rng.choice(general_people))
        articles.append(SyntheticArticle(
            slug=f"tin-{number:06d}",
            date=start + timedelta(hours=min(max(hours, 0), span_hours), minutes=number % 60),
            title=_sentence(rng, vocabulary, 8, planted, 1),
            summary=_sentence(rng, vocabulary, 25, planted, 1),
            body=_sentence(rng, vocabulary, body_words, planted, 6),
            category=rng.choice(CATEGORIES),
            tags=tuple(tags),
            people=tuple(dict.fromkeys(people)),
            topic=topic,
        ))
    return articles


def precision_at(k: int, articles: list[SyntheticArticle], related: dict[str, list[str]]) -> float:
    """Mean share of the top ``k`` (missing entries count as wrong) sharing the article's topic."""
    topic_of = {a.slug: a.topic for a in articles}
    scores = [
        sum(1 for other in related.get(a.slug, [])[:k] if topic_of[other] == a.topic) / k
        for a in articles
        if a.topic is not None
    ]
    return sum(scores) / len(scores)
