"""The related lists kept between builds: reused only for the very same inputs."""
from __future__ import annotations

import unicodedata
from dataclasses import replace
from datetime import datetime

from portal.core.related import memo
from portal.core.related.index import Config, Document, RelatedIndex, news_text
from portal.core.related.tokens import read_part, syllables

DOCS = [
    Document(f"tin-{n}/", datetime(2024, 1, 1 + n), (("tag", "dan-van" if n % 2 else "chuyen-doi-so"),),
             news_text(f"Hội nghị {n} về công tác dân vận", "Đảng ủy Khối triển khai nhiệm vụ", f"Nội dung bài {n}."))
    for n in range(12)
]
EXCLUDE = {"tin-0/": ["tin-1/"]}


def key(documents=DOCS, config=Config(), limit=5, exclude=EXCLUDE) -> str:
    return memo.key_of(documents, config, limit, exclude)


def test_the_key_is_the_same_for_the_same_inputs_in_any_order():
    assert key() == key(list(reversed(DOCS))) == key(exclude={"tin-0/": ["tin-1/"]})


def test_text_past_the_part_the_index_reads_does_not_change_the_key():
    config = Config(text_syllables=10)
    later = [replace(DOCS[3], text=DOCS[3].text + " một đoạn mới ở cuối bài")] + DOCS[:3] + DOCS[4:]
    sooner = [replace(DOCS[3], text="Mở đầu mới. " + DOCS[3].text)] + DOCS[:3] + DOCS[4:]
    assert key(later, config) == key(DOCS, config)
    assert key(sooner, config) != key(DOCS, config)


def test_the_part_the_key_reads_holds_every_indexed_syllable():
    """Two texts the key cannot tell apart must give the index the same syllables."""
    decomposed = unicodedata.normalize("NFD", "Đồng chí Nguyễn Văn Thông phát biểu")
    texts = [doc.text for doc in DOCS] + [decomposed, "“Chuyển đổi số” – nhiệm vụ… " * 40, "a " * 500, "ngắn"]
    for text in texts:
        for limit in (1, 3, 10, 250):
            assert syllables(read_part(text, limit), limit) == syllables(text, limit)


def test_the_key_changes_with_every_input():
    edited = [replace(DOCS[3], text=DOCS[3].text + " thêm")] + DOCS[:3] + DOCS[4:]
    moved = [replace(DOCS[3], date=datetime(2024, 2, 1))] + DOCS[:3] + DOCS[4:]
    tagged = [replace(DOCS[3], keywords=(("tag", "moi"),))] + DOCS[:3] + DOCS[4:]
    keys = {key(), key(edited), key(moved), key(tagged), key(DOCS[:-1]), key(limit=4), key(exclude={}),
            key(config=Config(min_score=0.5))}
    assert len(keys) == 8


def test_kept_lists_come_back_as_computed(tmp_path):
    computed = RelatedIndex(DOCS, Config()).all_related(5, exclude=EXCLUDE)
    assert any(computed.values())
    path = tmp_path / "related.json"
    memo.save(path, key(), computed)
    assert memo.load(path, key()) == computed
    assert memo.load(path, key(limit=4)) is None, "another key: computed again"


def test_a_damaged_or_missing_file_is_computed_again_not_trusted(tmp_path):
    path = tmp_path / "related.json"
    assert memo.load(path, key()) is None
    for damaged in ('{"key": "', '[]', '{"key": "%s", "lists": {"a": [["b"]]}}' % key()):
        path.write_text(damaged, encoding="utf-8")
        assert memo.load(path, key()) is None
