"""Topics: the bundled lexicon, custom lexicons, topic tables and the data-driven TopicModel."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest

from govtext.exceptions import InputError, InvalidParameterError, NotFittedError
from govtext.statements import extract_statements
from govtext.topics import (
    TOPIC_KEYS,
    Topic,
    TopicLexicon,
    TopicModel,
    assign_topics,
    load_lexicon,
    topic_table,
)


@pytest.fixture(scope="module")
def frame(seeds):
    return extract_statements(seeds)


# -- the lexicon: real seed statements ----------------------------------------------------------
LEXICON_CASES = [
    ("1.信息公开不及时。在信息公开方面存在不及时的问题,导致信息滞后,影响了群众的知情权和监督权。", "timeliness"),
    ("2.信息公开不全面。在信息公开方面存在不全面的问题,只公开部分信息。", "completeness"),
    ("3.信息公开不规范。在信息公开方面存在不规范的问题,如信息表述不清晰、格式不规范等。", "quality"),
    ("一是业务人员对省、市、区政府信息公开工作规定的学习、掌握还不够好,业务素质有待进一步提高;", "capacity"),
    ("二是信息公开面对社会宣传力度不够;", "awareness"),
    ("一是政策解读方面。运用音频视频、卡通动漫等方式进行解读较少。", "interpretation"),
    ("三是政务新媒体运维管理缺乏创新举措,部分政务新媒体账号还存在内容单调、形式单一、互动不够等问题。", "platforms"),
    ("一是加大政务公开督促提醒、监督考核力度,采取日常监督检查与重点工作专项检查相结合的方式。", "supervision"),
    ("5、建设长效工作机制。建立政府信息公开内容审查和更新维护、考核评估、监督检查评议等工作制度。", "mechanisms"),
    ("4、继续规范依申请公开政府信息程序,开展依申请公开政府信息工作。", "requests"),
    ("无", "other"),
    # 规范性文件 is masked for quality
    ("及时公开规范性文件", "timeliness"),
]


@pytest.mark.parametrize(("text", "topic"), LEXICON_CASES, ids=[c[1] + str(i) for i, c in enumerate(LEXICON_CASES)])
def test_lexicon_primary_topic(text, topic):
    assert load_lexicon().assign(text)[0] == topic


def test_bundled_scheme_covers_the_documented_topics():
    lex = load_lexicon()
    assert lex.keys == TOPIC_KEYS
    table = lex.to_frame()
    assert table.key.tolist() == list(TOPIC_KEYS)
    assert (table.keywords.iloc[:-1] != "").all()
    assert lex.explain("信息公开的时效性还不够,宣传工作还不够。") == {"timeliness": ["时效"], "awareness": ["宣传"]}


def test_assignment_is_deterministic(frame):
    first = assign_topics(frame)
    again = assign_topics(list(frame.text))
    assert first == again == list(frame.topics)
    assert all(t[0] == p for t, p in zip(first, frame.topic))
    # every statement of the seeds gets a real topic
    assert "other" not in set(frame.topic)


def test_custom_lexicon_file(tmp_path):
    path = tmp_path / "topics.json"
    path.write_text(json.dumps({"fallback": "misc", "topics": [
        {"key": "training", "keywords": ["培训"]},
        {"key": "rules", "keywords": ["制度"], "exclude": ["制度化"]},
    ]}, ensure_ascii=False), encoding="utf-8")
    lex = load_lexicon(path)
    assert lex.keys == ("training", "rules", "misc")
    assert lex.assign("完善制度,加强培训") == ("rules", "training")
    assert lex.assign("确保工作制度化") == ("misc",)
    assert assign_topics(["加强培训"], lex) == [("training",)]


@pytest.mark.parametrize(("content", "match"), [
    ("not json", "cannot read"),
    ('{"topics": [{"key": "a"}]}', "keywords"),
    ('{"topics": [{"key": "a", "keywords": [""]}]}', "empty keyword"),
])
def test_bad_lexicon_files(tmp_path, content, match):
    path = tmp_path / "bad.json"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(InputError, match=match):
        load_lexicon(path)


def test_lexicon_parameter_errors():
    with pytest.raises(InvalidParameterError, match="unique keys"):
        TopicLexicon([Topic("a", "A", keywords=("x",)), Topic("a", "A", keywords=("y",))])
    with pytest.raises(InvalidParameterError, match="'fallback' parameter"):
        TopicLexicon([Topic("a", "A", keywords=("x",))], fallback="a")
    with pytest.raises(InvalidParameterError, match="'text' parameter"):
        load_lexicon().assign(3)
    with pytest.raises(InvalidParameterError, match="not a str"):
        assign_topics("加强培训")


def test_topic_table_by_report(frame, seeds):
    table = topic_table(frame, kind="problem")
    assert list(table.columns) == [*TOPIC_KEYS, "total"]
    assert table.index.name == "report_id"
    assert table.total.sum() == (frame.kind == "problem").sum()
    assert (table.drop(columns="total").sum(axis=1) == table.total).all()
    multi = topic_table(frame, kind="problem", column="topics")
    assert (multi.drop(columns="total").sum(axis=1) >= multi.total).all()
    assert table.loc["004_3cd86ea425926f19", "platforms"] == 1
    # reports that state no problem are not rows unless asked for
    assert "003_aad2c66ccec4c55e#7" not in table.index


def test_topic_table_errors(frame):
    with pytest.raises(InvalidParameterError, match="'column' parameter"):
        topic_table(frame, column="label")
    with pytest.raises(InvalidParameterError, match="'kind' parameter"):
        topic_table(frame, kind="issue")
    with pytest.raises(InvalidParameterError, match="needs the columns"):
        topic_table(frame, by="year")


# -- the data-driven model -----------------------------------------------------------------------
@pytest.mark.parametrize("method", ["nmf", "kmeans"])
def test_model_is_deterministic(frame, method):
    a = TopicModel(n_topics=5, method=method, random_state=0).fit(frame)
    b = TopicModel(n_topics=5, method=method, random_state=0).fit(list(frame.text))
    assert a.top_terms(8) == b.top_terms(8)
    assert (a.labels_ == b.labels_).all()
    assert a.topics_.equals(b.topics_)
    assert a.components_.shape == (5, len(a.terms_))
    assert a.weights_.shape == (len(frame), 5)
    assert a.topics_["size"].sum() == len(frame)
    assert all(len(t) <= a.n_top_terms for t in a.topics_.top_terms)
    assert all(1 <= len(e) <= a.n_examples for e in a.topics_.examples)
    # genre stock words are not terms
    assert not {"政府信息公开", "工作", "进一步"} & set(a.terms_)
    # the model predicts the topics of its own training statements
    assert (a.predict(frame) == a.labels_).mean() > 0.8


def test_model_finds_topics_of_the_seeds(frame):
    model = TopicModel(n_topics=6, random_state=0).fit(frame)
    tops = [set(t[:4]) for t in model.top_terms()]
    assert any("培训" in t for t in tops)
    assert any("宣传" in t for t in tops)
    examples = model.topics_.examples.explode()
    assert set(examples) <= set(frame.text)


def test_model_errors(frame):
    with pytest.raises(NotFittedError, match="not fitted"):
        TopicModel().transform(["加强培训"])
    with pytest.raises(InvalidParameterError, match="'method' parameter of TopicModel"):
        TopicModel(method="lda").fit(frame)
    with pytest.raises(InvalidParameterError, match="'n_topics' parameter of TopicModel"):
        TopicModel(n_topics=0).fit(frame)
    with pytest.raises(InvalidParameterError, match="must not exceed"):
        TopicModel(n_topics=5).fit(["加强培训", "完善制度"])
    with pytest.raises(InvalidParameterError, match="'random_state' parameter"):
        TopicModel(random_state="0").fit(frame)
    with pytest.raises(InvalidParameterError, match="'stop_words' parameter"):
        TopicModel(stop_words="english").fit(frame)
    with pytest.raises(InvalidParameterError, match="not a str"):
        TopicModel().fit("加强培训")
    with pytest.raises(InvalidParameterError, match="Invalid parameter"):
        TopicModel().set_params(alpha=1)


def test_model_params_roundtrip():
    model = TopicModel(n_topics=3, method="kmeans", random_state=7)
    params = model.get_params()
    assert params["n_topics"] == 3 and params["method"] == "kmeans" and params["random_state"] == 7
    assert model.set_params(n_topics=4).n_topics == 4
    assert repr(model) == "TopicModel(method='kmeans', n_topics=4, random_state=7)"


def test_model_transform_shapes(frame):
    model = TopicModel(n_topics=3, method="kmeans", random_state=0).fit(frame)
    w = model.transform(["加强业务培训", "及时更新网站栏目"])
    assert w.shape == (2, 3)
    assert np.all(w <= 0)  # negative distances
    assert model.fit_predict(frame).tolist() == model.labels_.tolist()
    assert isinstance(model.topics_, pd.DataFrame)


def test_topic_table_with_all_reports(frame, seeds):
    table = topic_table(frame, groups=seeds.ids)
    assert table.index.tolist() == seeds.ids
    assert table.loc["003_aad2c66ccec4c55e#7"].sum() == 0
    with pytest.raises(InvalidParameterError, match="misses values"):
        topic_table(frame, groups=seeds.ids[:2])
