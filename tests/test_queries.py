"""The query layer (store/queries.py) on a small hand-made database: contracts, filters, resolving."""

from __future__ import annotations

from pathlib import Path

import pytest
from query_fixtures import make_db

from parks.store import queries as Q
from parks.store.db import connect

PARKS_COLS = ["park", "official_name", "kind", "province", "city", "listed", "articles", "mentions", "metrics",
              "top_industries", "first_seen", "last_seen"]
INDUSTRY_COLS = ["industry", "name_zh", "name_en", "parks", "articles", "mentions", "top_parks"]
COMPANY_COLS = ["company", "park", "articles", "mentions"]
ARTICLE_COLS = ["article_id", "date", "title", "park", "parks", "kicker", "byline", "source", "chars"]
METRIC_COLS = ["park", "metric", "value", "value_max", "unit", "qualifier", "period", "basis", "status", "industry",
               "article_id", "source", "quote", "start", "end", "name_zh", "date", "figure_id"]


@pytest.fixture(scope="module")
def con(tmp_path_factory):  # type: ignore[no-untyped-def]
    path = make_db(tmp_path_factory.mktemp("q") / "t.duckdb")
    c = connect(path, read_only=True)
    yield c
    c.close()


def rows(con, q, **kw):  # type: ignore[no-untyped-def]
    r = Q.run(con, q, **kw)
    return [dict(zip(r.columns, row, strict=True)) for row in r.rows]


def resolved(con, **kw) -> Q.Filters:  # type: ignore[no-untyped-def]
    return Q.resolve(con, Q.Filters(**kw))


@pytest.mark.parametrize(("build", "cols"), [
    (lambda con: Q.parks(), PARKS_COLS), (lambda con: Q.industries(), INDUSTRY_COLS),
    (lambda con: Q.companies(), COMPANY_COLS), (lambda con: Q.articles(), ARTICLE_COLS),
    (lambda con: Q.metrics(con=con), METRIC_COLS),
])
def test_column_contracts_come_first_in_order(con, build, cols) -> None:  # type: ignore[no-untyped-def]
    assert Q.run(con, build(con)).columns[: len(cols)] == cols


def test_parks_lists_only_parks_named_in_articles_with_counts(con) -> None:  # type: ignore[no-untyped-def]
    got = {r["park"]: r for r in rows(con, Q.parks())}
    assert set(got) == {"包头稀土高新区", "西安高新区", "肇庆高新区", "星河工业园"}  # not 苏州工业园区, 阿城经开区
    assert got["星河工业园"]["listed"] is False and got["西安高新区"]["listed"] is True
    xian = got["西安高新区"]
    assert (xian["articles"], xian["mentions"], xian["metrics"], xian["figures"]) == (2, 3, 2, 3)
    assert str(xian["first_seen"]) == "2022-03-01" and str(xian["last_seen"]) == "2023-09-12"
    # industries of the articles it is the subject of come first
    assert xian["top_industries"].split("|")[0] == "光伏"


def test_parks_year_counts_only_that_years_articles(con) -> None:  # type: ignore[no-untyped-def]
    got = {r["park"]: r["articles"] for r in rows(con, Q.parks(resolved(con, year=["2023"])))}
    assert got == {"肇庆高新区": 1, "西安高新区": 1, "星河工业园": 1}


def test_parks_metric_and_industry_filters(con) -> None:  # type: ignore[no-untyped-def]
    assert [r["park"] for r in rows(con, Q.parks(resolved(con, metric=["光伏装机容量"])))] == ["西安高新区"]
    assert {r["park"] for r in rows(con, Q.parks(resolved(con, industry=["稀土"])))} == {"包头稀土高新区"}


def test_industries_counts_and_top_parks(con) -> None:  # type: ignore[no-untyped-def]
    got = {r["industry"]: r for r in rows(con, Q.industries())}
    assert got["pv"]["articles"] == 2 and got["pv"]["parks"] == 2
    assert set(got["pv"]["top_parks"].split("|")) == {"西安高新区", "肇庆高新区"}
    assert got["rare_earth"]["mentions"] == 2 and got["rare_earth"]["name_zh"] == "稀土新材料"
    only = rows(con, Q.industries(resolved(con, park=["西安高新技术产业开发区"])))
    assert {r["industry"] for r in only} == {"pv", "nev"}


def test_companies_take_their_most_frequent_park(con) -> None:  # type: ignore[no-untyped-def]
    got = {r["company"]: r for r in rows(con, Q.companies())}
    assert got["北方稀土公司"]["park"] == "包头稀土高新区"
    assert (got["北方稀土公司"]["articles"], got["北方稀土公司"]["mentions"]) == (2, 3)
    assert got["北方稀土公司"]["parks"] == "包头稀土高新区|肇庆高新区"
    assert [r["company"] for r in rows(con, Q.companies(resolved(con, park=["西安高新区"])))] == ["阳光电源公司"]


def test_articles_park_filter_matches_any_named_park(con) -> None:  # type: ignore[no-untyped-def]
    got = rows(con, Q.articles(resolved(con, park=["西安高新区"])))
    assert [r["article_id"] for r in got] == [2, 3]
    assert got[1]["parks"] == "肇庆高新区|西安高新区|星河工业园"


def test_metrics_keep_full_precision_and_ranges(con) -> None:  # type: ignore[no-untyped-def]
    got = {r["figure_id"]: r for r in rows(con, Q.metrics(con=con))}
    assert got[1]["value"] == 0.1 + 0.2
    assert (got[3]["value"], got[3]["value_max"], got[3]["unit"]) == (120.0, 150.0, "MW")
    assert got[1]["source"].endswith("2022-03-01_rare_earth.txt")
    assert got[1]["name_zh"] == "地区生产总值"


def test_metrics_scope_controls_figures_without_a_park(con) -> None:  # type: ignore[no-untyped-def]
    def parks(**kw) -> set[str]:  # type: ignore[no-untyped-def]
        return {r["park"] for r in rows(con, Q.metrics(resolved(con, **kw), con))}

    assert "" not in parks()
    assert "" in parks(scope="all") and len(parks(scope="all")) == 4
    assert parks(scope="other") == {""}
    assert parks(scope="all", park=["西安高新区"]) == {"西安高新区"}  # --park never lists park-less figures


def test_metrics_park_alias_metric_name_industry(con) -> None:  # type: ignore[no-untyped-def]
    got = rows(con, Q.metrics(resolved(con, park=["稀土高新区"]), con))
    assert {r["park"] for r in got} == {"包头稀土高新区"} and len(got) == 2
    by_name = rows(con, Q.metrics(resolved(con, metric=["企业数"]), con))
    by_id = rows(con, Q.metrics(resolved(con, metric=["enterprises"]), con))
    assert by_name == by_id and len(by_id) == 4
    # the figure stores the industry id; a synonym finds it
    assert [r["figure_id"] for r in rows(con, Q.metrics(resolved(con, industry=["太阳能光伏"]), con))] == [3]


def test_metrics_year_reads_the_period_then_the_date(con) -> None:  # type: ignore[no-untyped-def]
    def ids(**kw) -> list[int]:  # type: ignore[no-untyped-def]
        return sorted(r["figure_id"] for r in rows(con, Q.metrics(resolved(con, **kw), con)))

    assert ids(year=["2021"]) == [1, 2, 6]  # 6 has period 2021-2025
    assert ids(year=["2024"]) == [6]
    assert ids(year=["2022-2023"]) == [3, 5, 6, 7, 8]
    assert ids(status=["target"]) == [6]
    assert ids(basis=["since"]) == ids(basis=["since:2020"]) == [6]
    assert ids(basis=["level"], status=["actual"], park=["肇庆高新区"]) == [5]


def test_run_sorts_chinese_by_pinyin_and_shapes(con) -> None:  # type: ignore[no-untyped-def]
    q = Q.metrics(con=con)
    parks = [r["park"] for r in rows(con, q, sort="park")]
    order = list(dict.fromkeys(parks))
    assert order == ["包头稀土高新区", "西安高新区", "肇庆高新区"]  # bao, xi, zhao
    assert list(dict.fromkeys(r["park"] for r in rows(con, q, sort="park", desc=True))) == order[::-1]
    values = [r["value"] for r in rows(con, q, sort="value")]
    assert values == sorted(values)
    r = Q.run(con, q, columns=["value", "park"], limit=2, offset=1)
    assert r.columns == ["value", "park"] and len(list(r.rows)) == 2
    assert r.numeric == {"value"}
    assert Q.count(con, q) == 7


def test_run_refuses_unknown_columns_with_a_suggestion(con) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(Q.QueryError, match=r"unknown column 'vaule'; did you mean: value\?"):
        Q.run(con, Q.metrics(con=con), columns=["park", "vaule"])
    with pytest.raises(Q.QueryError, match="unknown column 'nope'"):
        Q.run(con, Q.parks(), sort="nope")


def test_rows_stream_in_batches(con, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    import types

    monkeypatch.setattr(Q, "BATCH", 2)
    r = Q.run(con, Q.metrics(con=con))
    assert isinstance(r.rows, types.GeneratorType)  # nothing is fetched before it is asked for
    first = next(r.rows)
    assert len([first, *r.rows]) == 7  # four batches of at most two, none lost between them


@pytest.mark.parametrize(("kw", "message"), [
    ({"park": ["稀土高新"]}, "unknown park '稀土高新'; did you mean: 包头稀土高新区?"),
    ({"park": ["肇庆"]}, "unknown park '肇庆'; did you mean: 肇庆高新区?"),
    ({"metric": ["gpd"]}, "unknown metric 'gpd'; did you mean: gdp?"),
    ({"metric": ["企业"]}, "unknown metric '企业'; did you mean: 企业数?"),
    ({"industry": ["光副"]}, "unknown industry '光副'; did you mean: 光伏?"),
    ({"park": ["qqqqqqqq"]}, "unknown park 'qqqqqqqq'"),
])
def test_unknown_names_suggest_the_closest(con, kw, message) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(Q.UnknownName) as exc:
        Q.resolve(con, Q.Filters(**kw))
    assert str(exc.value) == message


def test_resolve_accepts_every_spelling(con) -> None:  # type: ignore[no-untyped-def]
    f = Q.resolve(con, Q.Filters(park=["包头稀土高新技术产业开发区", "稀土高新区", " 包头高新区 "], metric=["GDP"],
                                 status=["Target"], basis=["YOY"]))
    assert f.park == ["包头稀土高新区"] and f.metric == ["gdp"]
    assert f.status == ["target"] and f.basis == ["yoy"]
    # full-width letters are read as half-width
    assert Q.resolve(con, Q.Filters(metric=["ｇｄｐ"])).metric == ["gdp"]


@pytest.mark.parametrize("kw", [{"year": ["23"]}, {"year": ["2025-2020"]}, {"status": ["planned"]},
                                {"basis": ["monthly"]}, {"scope": "everything"}])
def test_malformed_values_are_refused(con, kw) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(Q.QueryError):
        Q.resolve(con, Q.Filters(**kw))


def test_compare_one_row_per_metric_and_period_one_column_per_park(con) -> None:  # type: ignore[no-untyped-def]
    q = Q.compare(["西安高新区", "肇庆高新区", "包头稀土高新区"], con=con)
    r = Q.run(con, q)
    assert r.columns[:8] == ["metric", "name_zh", "industry", "basis", "period", "西安高新区", "肇庆高新区",
                             "包头稀土高新区"]
    assert r.columns[8] == "conflicts"
    got = {(row[0], row[4]): dict(zip(r.columns, row, strict=True)) for row in r.rows}
    ent = got[("enterprises", "2023")]
    assert ent["肇庆高新区"] == "60 家" and ent["西安高新区"] in ("70 家", "~72 家")
    assert ent["conflicts"] == "西安高新区"  # 70 and 72 disagree: flagged, not hidden
    assert got[("enterprises", "2021")]["包头稀土高新区"] == ">50 家"
    assert got[("enterprises", "2021")]["conflicts"] == ""
    assert got[("pv_capacity", "2022")]["西安高新区"] == "120–150 MW"
    assert got[("energy_intensity", "2021-2025")]["肇庆高新区"] == "-15 % (target)"
    assert got[("gdp", "2021")]["包头稀土高新区"] == "0.30000000000000004 亿元"
    assert ("gdp", "2021") in got and got[("gdp", "2021")]["西安高新区"] is None  # the city's GDP is not 西安高新区's


def _with_enterprises_figure(tmp_path: Path, article_id: int, value: float, status: str):  # type: ignore[no-untyped-def]
    """The test database plus one 2023 figure of 肇庆高新区's enterprises from another article."""
    from parks.store.ingest_util import bulk_insert

    con = connect(make_db(tmp_path / "c.duckdb"))
    n = f"{value:g}家"
    bulk_insert(con, "figures", [[9], [article_id], ["肇庆高新区"], ["enterprises"], [value], [None], ["家"], ["="],
                                 ["2023"], [False], ["level"], [status], [""], [n], [0], [3], [n]])
    return con


def test_compare_prefers_the_latest_actual(tmp_path: Path) -> None:
    # a later article's target for the same period does not replace the actual figure
    con = _with_enterprises_figure(tmp_path, 3, 99.0, "target")
    r = Q.run(con, Q.compare(["肇庆高新区"], con=con, f=Q.Filters(metric=["enterprises"])))
    assert [row[5] for row in r.rows] == ["60 家"]
    con.close()


def test_compare_shows_the_latest_actual_and_flags_the_older_one(tmp_path: Path) -> None:
    # an older article (2022-03-01) inserted last says 65 for the same park, metric and period
    con = _with_enterprises_figure(tmp_path, 1, 65.0, "actual")
    r = Q.run(con, Q.compare(["肇庆高新区"], con=con, f=Q.Filters(metric=["enterprises"])))
    got = [dict(zip(r.columns, row, strict=True)) for row in r.rows]
    assert [(g["period"], g["肇庆高新区"], g["conflicts"]) for g in got] == [("2023", "60 家", "肇庆高新区")]
    con.close()


def test_compare_filters(con) -> None:  # type: ignore[no-untyped-def]
    f = resolved(con, metric=["enterprises"])
    r = Q.run(con, Q.compare(["西安高新区", "肇庆高新区"], f, con))
    assert {row[0] for row in r.rows} == {"enterprises"}


def test_detail_queries(con) -> None:  # type: ignore[no-untyped-def]
    figs = rows(con, Q.park_figures("西安高新区"))
    assert [r["metric"] for r in figs] == ["enterprises", "enterprises", "pv_capacity"]
    inds = rows(con, Q.industry_parks("pv"))
    assert {r["park"] for r in inds} == {"西安高新区", "肇庆高新区", "星河工业园"}
    assert inds[0]["subject"] is True
    art = rows(con, Q.article(2))
    assert len(art) == 1 and art[0]["text"].startswith("西安高新区光伏项目并网")
    af = rows(con, Q.article_figures(3))
    assert [r["start"] for r in af] == sorted(r["start"] for r in af) and len(af) == 4


def test_names_cover_parks_found_only_in_text(con) -> None:  # type: ignore[no-untyped-def]
    names = Q.Names.load(con)
    assert names.park("星河工业园") == "星河工业园"
    assert names.park("苏州园区") == "苏州工业园区"  # a gazetteer park with no article still resolves


def test_park_summary_matches_the_live_view_and_goes_stale(tmp_path: Path) -> None:
    from parks.store import summary
    from parks.store.ingest_util import bulk_insert

    con = connect(make_db(tmp_path / "s.duckdb"))
    live = rows(con, Q.parks(con=con))
    assert not summary.fresh(con) and "park_stats" not in Q.parks(con=con).sql
    summary.refresh(con)
    assert summary.fresh(con)
    q = Q.parks(con=con)
    assert "park_stats" in q.sql
    assert rows(con, q) == live
    assert "park_stats" not in Q.parks(Q.Filters(year=["2023"]), con).sql  # filters count from the rows
    # a new figure makes the summary stale: the view is computed from the rows again
    bulk_insert(con, "figures", [[99], [1], ["包头稀土高新区"], ["pv_capacity"], [5.0], [None], ["MW"], ["="], ["2023"],
                                 [False], ["level"], ["actual"], [""], ["光伏5兆瓦"], [0], [3], ["5兆瓦"]])
    assert not summary.fresh(con)
    after = {r["park"]: r for r in rows(con, Q.parks(con=con))}
    assert after["包头稀土高新区"]["metrics"] == 3 and after["包头稀土高新区"]["figures"] == 3
    summary.refresh(con)
    assert rows(con, Q.parks(con=con)) == list(after.values())
    con.close()
