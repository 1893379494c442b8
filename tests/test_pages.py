"""The page model on pages of every shape the office's archive holds, each written for these tests (invented people).

Each page is read, its articles checked field by field — kind, unit, position, person, headline, reading order —
and the no-loss rule checked on it (:func:`tests.conftest.assert_nothing_lost`).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from searcher.reading import read_file, read_page, read_structure
from tests.conftest import PAGE, assert_nothing_lost

PAGES = Path(__file__).parent / "pages"


def read(name: str):
    path = PAGES / name
    page = read_page(path.read_text("utf-8"), str(path))
    assert_nothing_lost(path.read_text("utf-8").split("\n"), page)
    return page


def summary(page) -> list[tuple[str, str, str, str, str]]:
    return [(a.kind, a.unit, a.position, a.person, a.headline) for a in page.articles]


def test_every_page_in_the_suite_loses_no_line():
    pages = [*sorted(PAGES.glob("*.txt")), PAGE]
    assert len(pages) >= 15
    for path in pages:
        text = path.read_text("utf-8")
        assert_nothing_lost(text.split("\n"), read_page(text, str(path)))


def test_a_story_that_jumps_to_another_page_is_marked_so_and_its_body_stays_clean():
    front = "\n".join([
        "竹编工坊开进山村",
        "本报记者 孙立",
        "石湖镇依托万亩竹林发展竹编产业，今年新建竹编工坊三家，带动三百多户村民在家门口就业增收。",
        "镇里成立竹编合作社，统一接单、统一培训、统一销售。",
        "（下转第3版）",
    ])  # fmt: skip
    (story,) = read_page(front, "0609-1.txt").articles
    assert story.jumps == ("（下转第3版）",) and all("转第" not in p for p in story.paragraphs)
    assert_nothing_lost(front.split("\n"), read_page(front, "0609-1.txt"))
    inside = "\n".join(["竹编工坊开进山村", "（上接第1版）", "合作社负责人介绍，下一步将把竹编和民宿、研学结合起来。"])
    (rest,) = read_page(inside, "0609-3.txt").articles
    assert rest.jumps == ("（上接第1版）",) and rest.paragraphs == (
        "合作社负责人介绍，下一步将把竹编和民宿、研学结合起来。",
    )


@pytest.mark.parametrize("printed_headline", [False, True])
def test_a_wire_storys_dateline_and_title_line_is_a_credit_and_the_headline(printed_headline):
    lines = [
        *(["山乡巨变看竹编——浙江一个山区县的共富实践"] if printed_headline else []),
        "新华社杭州6月9日电 题：山乡巨变看竹编——浙江一个山区县的共富实践",
        "新华社记者 孙立 周航",
        "清晨六点，石湖镇的竹编工坊已经亮起了灯。",
        "合作社负责人说，今年的订单已经排到了年底。",
    ]
    page = read_page("\n".join(lines), "wire.txt")
    (story,) = page.articles
    assert (story.headline, story.kicker) == ("山乡巨变看竹编——浙江一个山区县的共富实践", "")
    dateline = lines[-4] if printed_headline else "新华社杭州6月9日电"
    assert story.credits == (dateline, "新华社记者 孙立 周航")
    assert story.paragraphs == tuple(lines[-2:])
    assert_nothing_lost(lines, page)


def test_a_series_without_editors_note_keeps_its_header_and_reads_every_byline_shape():
    page = read("series-no-note.txt")
    assert summary(page) == [
        ("header", "", "", "", "奋进新征程 建功新时代"),
        ("interview", "南溪镇", "党委书记", "陈立新", "做强特色产业 带富一方百姓"),  # no space before the name
        ("interview", "北岭乡", "党委书记", "林晓梅", "守住绿水青山 做活生态文章"),  # ASCII colon
        ("interview", "东湖街道", "党工委书记", "周海涛", "以网格治理提升幸福指数"),  # no colon
    ]
    assert {a.series for a in page.articles} == {"“书记镇长访谈”(三)"}
    assert page.articles[1].paragraphs == (
        "今年以来，南溪镇把茶叶和竹笋作为主导产业，新建标准化茶园八百亩，带动三百多户农户增收。",
        "下一步，我们将继续完善冷链仓储设施，让山里的好产品走得更远。",
    )


def test_a_byline_with_its_headline_or_its_first_words_on_the_same_line():
    page = read("byline-and-headline-one-line.txt")
    assert summary(page) == [
        ("interview", "青溪市委", "副书记、市长", "王立平", "勇立潮头 实干争先"),
        ("interview", "青溪市发改委", "主任", "赵明远", ""),
    ]
    first, second = page.articles
    assert first.byline_line == "青溪市委副书记、市长王立平："
    assert second.paragraphs[0] == "今年以来，我委牵头梳理重大项目清单，逐项明确责任单位和时间节点。"
    assert second.title == "青溪市发改委 赵明远"


def test_posts_beyond_a_closed_list():
    page = read("posts-outside-the-old-list.txt")
    assert [(a.unit, a.position, a.person) for a in page.articles] == [
        ("青溪市政府新闻办", "新闻发言人", "孙浩然"),
        ("市政府", "副秘书长", "钱雅琴"),
        ("市总工会", "常务副主席", "吴国栋"),
        ("青溪水务集团", "总工程师", "郑一帆"),
        ("青溪文旅集团", "董事长", "冯志强"),
    ]
    assert [a.headline for a in page.articles][2] == "当好职工“娘家人”"


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        pytest.param(
            "compound-posts.txt",
            [
                ("interview", "县委", "常委、宣传部部长", "张文静", "讲好新时代乡村故事"),
                ("interview", "区财政局", "党组书记、局长，区国资办主任", "刘建华", "管好用好每一分钱"),
            ],
            id="compound posts separated by 、 and ，",
        ),
        pytest.param(
            "headline-above-byline.txt",
            [
                ("interview", "区大数据局", "局长", "方志明", "以数字化改革撬动全域治理"),
                ("interview", "区生态环境分局", "局长", "邵佳宁", "擦亮生态底色 绘就美丽画卷"),
            ],
            id="headlines printed above their bylines",
        ),
    ],
)
def test_interview_pages_read_exactly(name, expected):
    assert summary(read(name)) == expected


def test_traditional_characters_read_like_simplified_and_stay_as_printed():
    page = read("traditional.txt")
    assert summary(page) == [
        ("note", "", "", "", "編者按"),
        ("interview", "區發改局", "黨組書記、局長", "任文俊", "抓項目 促投資"),
        ("interview", "石梁鎮", "黨委書記", "周鋒", "找準定位 謀出特色"),
    ]
    assert {a.series for a in page.articles} == {"「一把手」談高質量發展(二)"}


def test_a_briefing_keeps_its_lead_and_every_speaker():
    page = read("briefing.txt")
    lead, host, statistics, development = page.articles
    assert (lead.kind, lead.headline) == ("lead", "青溪市“稳经济促发展”系列新闻发布会（第一场）")
    assert lead.paragraphs[0].startswith("8月12日上午，青溪市政府新闻办召开新闻发布会")
    assert (host.unit, host.position, host.person) == ("市政府新闻办", "主持人 市政府新闻办副主任", "何丽华")
    assert (statistics.unit, statistics.person, statistics.headline) == ("市统计局", "许志伟", "")
    # A reporter's question is part of the transcript, under the speaker before it.
    assert statistics.paragraphs[-1] == "记者：请问下一步稳经济有哪些具体举措？"
    assert (development.unit, development.position) == ("市发改委", "主任")


def test_the_line_after_a_byline_is_a_headline_only_when_shaped_like_one():
    page = read("speech-without-headline.txt")
    assert summary(page) == [
        ("interview", "南溪镇", "党委书记", "陈立新", ""),
        ("interview", "北岭乡", "乡长", "林晓梅", ""),
    ]
    assert page.articles[0].paragraphs[0].startswith("去年以来")
    assert [a.title for a in page.articles] == ["南溪镇 陈立新", "北岭乡 林晓梅"]
    assert [n.line for n in page.notices] == [1, 7]
    assert all("no headline printed" in n.message for n in page.notices)


def test_site_furniture_is_kept_apart_and_dates_the_page():
    page = read("site-furniture.txt")
    (story,) = page.articles
    assert (story.kind, story.headline, story.date, story.paper) == (
        "story",
        "市区新增三处口袋公园",
        "2021-08-12",
        "青溪日报",
    )
    assert len(story.paragraphs) == 2
    assert story.credits == ("责任编辑：李小雨",)  # a credit of the story, not page furniture
    assert page.furniture == [
        "当前位置：首页 > 数字报 > 第A02版",
        "青溪日报",
        "2021年08月12日 星期四",
        "第A02版：要闻",
        "分享到：",
        "【字体：大 中 小】",
        "来源：青溪日报",
        "打印本页 关闭窗口",
        "上一篇 下一篇",
    ]
    assert story.furniture == tuple(page.furniture)


def test_two_pages_in_one_file_are_two_pages():
    page = read("two-pages-in-one-file.txt")
    assert [(a.kind, a.series, a.headline) for a in page.articles] == [
        ("note", "“一把手”谈共同富裕(一)", "学习贯彻全会精神"),
        ("interview", "“一把手”谈共同富裕(一)", "抢抓政策机遇"),
        ("note", "“一把手”谈共同富裕(二)", "学习贯彻全会精神"),
        ("interview", "“一把手”谈共同富裕(二)", "找准发展定位"),
        ("interview", "“一把手”谈共同富裕(二)", "推进土地整治"),
    ]
    assert page.articles[1].paragraphs == ("全局上下要把政策红利转化为发展动能，加快重大项目前期工作。",)
    assert page.articles[3].unit == "石梁镇" and page.articles[0].id != page.articles[2].id


def test_a_page_that_is_only_an_opening_note_keeps_its_list_of_names_in_the_note():
    page = read("note-only.txt")
    (note,) = page.articles
    assert (note.kind, note.headline, note.unit) == ("note", "开栏的话", "")
    # The label alone on its line is the title, not also the first paragraph.
    assert note.paragraphs[3] == "北岭乡党委书记 林晓梅" and len(note.paragraphs) == 6


def test_short_items_each_under_its_own_headline_are_separate_stories():
    page = read("short-items.txt")
    assert [(a.kind, a.headline, len(a.paragraphs)) for a in page.articles] == [
        ("story", "青溪新增两条公交线路", 1),
        ("story", "老年食堂覆盖所有社区", 1),
        ("story", "图书馆延长开放时间", 1),
    ]


def test_a_news_story_has_kicker_headline_subtitle_and_credit():
    page = read("news-story.txt")
    (story,) = page.articles
    assert (story.kicker, story.headline, story.subtitle) == (
        "聚焦产业提质增效",
        "青溪高新区上半年产值增长两成",
        "——新引进项目十二个，总投资超五十亿元",
    )
    assert story.credits == ("本报记者 陈思远 通讯员 王可欣",) and story.unit == story.byline_line == ""
    assert story.paragraphs[0].startswith("本报讯")


def test_an_error_page_is_furniture_and_no_article(tmp_path):
    page = read("not-found.txt")
    assert page.articles == [] and page.furniture == ["404 Not Found", "nginx"]
    articles, problems, _ = read_file(PAGES / "not-found.txt")
    assert articles == [] and "only page furniture" in problems[0].reason


def test_sentences_about_officials_are_sentences():
    page = read("sentences-about-officials.txt")
    (story,) = page.articles
    assert (story.kind, story.headline, story.unit) == ("story", "南溪镇召开产业发展推进会", "")
    assert len(story.paragraphs) == 4


def test_a_date_in_the_file_name_dates_the_articles(tmp_path):
    path = tmp_path / "2021-08-12-要闻.txt"
    path.write_text((PAGES / "short-items.txt").read_text("utf-8"), "utf-8")
    page = read_structure(path, path.read_bytes())
    assert {a.date for a in page.articles} == {"2021-08-12"}


def test_a_page_of_paragraphs_only_is_one_article_titled_by_its_opening_clause():
    page = read_page("第一段没有标题，直接开始正文。\n第二段也是正文。\n", "plain.txt")
    (article,) = page.articles
    assert (article.kind, article.headline, article.title) == ("article", "", "第一段没有标题")
    assert [n.message for n in page.notices] == ["no headline printed: shown as “第一段没有标题”"]


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("区委书记王某强调：要做好工作。", None),
        ("本报记者 张三 通讯员 李四", None),
        ("区人大常委会主任 赵某", ("区人大常委会", "主任", "赵某")),
        ("区卫健局党委书记、局长 施　萍：", ("区卫健局", "党委书记、局长", "施萍")),
        ("区发改局局长 李某某、石梁镇党委书记 陈某某", None),
        ("区政协主席王某某说：", None),
    ],
)
def test_byline_grammar_edges(line, expected):
    from searcher.reading.bylines import parse_byline

    found = parse_byline(line)
    assert (found and (found.unit, found.position, found.person)) == expected


# --- The no-loss rule as a property: pages made of random pieces ------------------------------------------------

from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

PIECES = [
    ["当前位置：首页 > 数字报", "第A03版：综合"],
    ["青溪日报", "2022年3月9日 星期三"],
    ["分享到：", "【字体：大 中 小】", "打印本页 关闭窗口"],
    ["责任编辑：王小明", "来源：青溪日报"],
    ["学习贯彻全会精神", "——奋力谱写新篇章——", "“一把手”访谈(四)"],
    ["编者按：本报推出系列访谈。", "敬请关注。"],
    ["开栏的话", "本栏目邀请各单位负责人谈思路。"],
    ["南溪镇党委书记陈立新：", "做强特色产业", "今年以来，全镇新建茶园八百亩。"],
    ["北岭乡党委书记 林晓梅:", "全乡森林覆盖率超过八成，生态优势明显。"],
    ["青溪市委副书记、市长王立平：勇立潮头 实干争先", "全市上下要以更大力度推进项目建设。"],
    ["區發改局黨組書記、局長 任文俊：", "抓項目 促投資", "上半年投資同比增長百分之十二。"],
    ["聚焦产业提质增效", "高新区产值增长两成", "——新引进项目十二个", "本报记者 陈思远", "本报讯 上半年产值三百亿元。"],
    ["青溪新增两条公交线路", "市公交公司本月起新开通两条线路。"],
    ["主持人 市政府新闻办副主任 何丽华：", "各位记者朋友，上午好！"],
    ["南溪镇党委书记 陈立新", "北岭乡党委书记 林晓梅", "东湖街道党工委书记 周海涛"],
    ["区委书记王某强调：要把产业发展摆在突出位置。", "会议指出：各村要抓紧谋划项目。"],
    ["二是提前谋划，夯实项目储备。", "三是持续发力，推动项目建设。", "一是脑勤腿勤，抢抓政策机遇。"],
    ["404 Not Found", "nginx"],
    ["（完）", "一、", "：", "……", "2021", "A", "“”"],
]


@settings(max_examples=300, deadline=None, derandomize=True)
@given(
    pieces=st.lists(st.sampled_from(PIECES), min_size=1, max_size=8),
    extra=st.lists(st.text(min_size=1, max_size=30), max_size=3),
    separator=st.sampled_from(["\n", "\n\n", "\r\n", "\n \n\u3000\n"]),
    seed=st.randoms(use_true_random=False),
)
def test_no_line_is_lost_on_pages_made_of_random_pieces(pieces, extra, separator, seed):
    lines = [line for piece in pieces for line in piece]
    lines += [" ".join(text.split()) for text in extra if "\r" not in text and "\n" not in text]
    if seed.random() < 0.5:
        seed.shuffle(lines)
    text = separator.join(f"  {line}\t" if seed.random() < 0.2 else line for line in lines)
    page = read_page(text, "random.txt")
    assert_nothing_lost(text.replace("\r\n", "\n").split("\n"), page)


@pytest.mark.corpus
def test_pages_made_of_real_news_items_lose_no_line_and_find_their_headlines():
    """300 pages of three xwlb items each (headline line, then paragraphs): real text, real headline shapes.

    An item whose body holds short items under their own headlines (国际联播快讯) is rightly read as several stories,
    so the measure is the headline found heading the start of its own body, not the whole body.
    """
    import json
    import random

    from tests.conftest import xwlb_lines

    items = [json.loads(line) for line in xwlb_lines(2000)]
    rng = random.Random(7)
    found = 0
    speakers = []
    for n in range(300):
        group = rng.sample(items, 3)
        lines = [line for item in group for line in [item["title"], *item["body"].split("\n")]]
        page = read_page("\n".join(lines), f"xwlb-{n}.txt")
        assert_nothing_lost(lines, page)
        speakers += [(a.title, a.unit, a.person) for a in page.articles if a.unit or a.person]
        for item in group:
            body = [p.strip() for p in item["body"].split("\n") if p.strip()]
            found += any(
                a.headline == item["title"].strip() and a.paragraphs and list(a.paragraphs) == body[: len(a.paragraphs)]
                for a in page.articles
            )
    assert found / 900 >= 0.9, found
    # Precision: news items mention officials in every paragraph, and none of these items is an interview, so no
    # piece may be given a unit or a person (a series line or a headline about a meeting once was).
    assert speakers == []


def test_a_line_shaped_almost_like_a_byline_is_body_with_a_notice():
    page = read_page("青溪新材料公司首席科学家 张晓东：\n\n我们的新材料已经进入量产阶段。\n", "near.txt")
    (article,) = page.articles
    assert article.unit == "" and article.paragraphs[0] == "青溪新材料公司首席科学家 张晓东："
    assert any(n.line == 1 and "shaped like a byline" in n.message for n in page.notices)


# --- Who spoke, where the page says it (searcher.reading.speakers) ---------------------------------------------------


def fields(article) -> tuple:
    return (article.kind, article.unit, article.position, article.person, article.speaker_source, article.headline)


def test_an_interview_names_its_speaker_in_a_subtitle_with_qa_credits_caption_and_masthead():
    page = read("interview-subtitle.txt")
    (interview,) = page.articles
    assert fields(interview) == ("interview", "青溪县石湖镇", "党委书记", "郑海波", "subtitle", "竹林深处的共富经")
    assert (interview.kicker, interview.subtitle) == ("“共富路上看乡镇”系列访谈之五", "——访青溪县石湖镇党委书记 郑海波")
    assert (interview.date, interview.paper) == ("2023-06-08", "青溪日报")
    assert interview.credits == ("本报记者 孙立 通讯员 钱晓燕", "责任编辑：吴敏", "审 核：陈静")
    assert interview.captions == ("图为石湖镇新建的竹编共富工坊。 孙立 摄",)
    # Questions and answers stay in the body, in the order printed; the caption between them is not a paragraph.
    assert [p[:4] for p in interview.paragraphs] == ["记者：石", "郑海波：", "记者：下", "郑海波："]
    assert page.furniture == ["青溪日报 2023年06月08日 星期四", "第3版：县域"]
    assert (1, "date", "2023-06-08") in page.found
    assert (6, "speaker of #1", "subtitle: 青溪县石湖镇 党委书记 郑海波") in page.found


def test_the_lead_names_the_speaker_interviewed_or_accepting_an_interview():
    page = read("interview-narration.txt")
    first, second = page.articles
    headline = "青溪县发改局：项目为王 抓好投资"
    assert fields(first) == ("interview", "青溪县发改局", "党组书记、局长", "冯立新", "narration", headline)
    assert fields(second) == ("interview", "县卫健局", "党委书记、局长", "钟华", "narration", "医共体改革让群众少跑腿")
    assert first.credits == ("本报记者 汪洋",) and second.credits == ("本报记者 周敏",)
    assert first.paragraphs[1:3] == (
        "问：今年全县重大项目有哪些新变化？",
        "答：今年我们新谋划重大项目四十二个，其中产业项目占六成，比去年提高十个百分点。",
    )


def test_an_online_interview_on_a_government_site_takes_its_guest_and_leaves_the_chrome():
    page = read("online-interview.txt")
    (interview,) = page.articles
    headline = "打造共富工坊 带动农民增收"
    assert fields(interview) == ("interview", "青溪县农业农村局", "党委书记、局长", "何建平", "guest", headline)
    assert interview.byline_line == "嘉宾：青溪县农业农村局党委书记、局长 何建平"
    assert interview.credits == ("主持人：林晓",)
    assert (interview.date, interview.paper) == ("2023-05-20", "青溪县人民政府门户网站")
    assert len(interview.paragraphs) == 4 and interview.paragraphs[1] == "何建平：主持人好，各位网友好。"
    assert page.furniture == [
        "青溪县人民政府门户网站",
        "网站首页 | 政务公开 | 在线访谈 | 互动交流 | 办事服务",
        "用户登录",
        "当前位置：首页 > 在线访谈",
        "发布时间：2023-05-20 10:00 浏览次数：1026",
        "【打印】【关闭】",
        "主办：青溪县人民政府办公室",
        "浙ICP备12345678号",
        "浙公网安备33102202000123号",
        "地址：青溪县人民路8号 电话：0570-1234567",
    ]


def test_a_lianghui_page_gives_each_member_their_own_headline_and_unit():
    page = read("lianghui.txt")
    header, farmer, teacher = page.articles
    assert (header.kind, header.headline, header.series, header.unit, header.person) == (
        "header",
        "聚焦2024青溪两会",
        "代表委员履职小记",  # a series line, never a byline (it once read as unit 代表委员, person 履职小记)
        "",
        "",
    )
    assert fields(farmer)[1:] == ("大岭村", "区人大代表、大岭村党支部书记", "陈小红", "byline", "让好山好水变成好产品")
    assert fields(teacher)[1:] == ("青溪中学", "区政协委员、青溪中学校长", "李文", "byline", "办好家门口的每一所学校")
    assert farmer.kind == teacher.kind == "interview"
    assert farmer.credits == teacher.credits == ("（本报记者 汪洋）",)


def test_short_items_each_ending_with_a_credit_are_articles_of_their_own():
    page = read("short-items-credits.txt")
    assert [(a.kind, a.headline, len(a.paragraphs), a.credits) for a in page.articles] == [
        ("story", "■石湖镇启动村级议事协商试点", 1, ("（本报记者 孙立）",)),
        ("story", "■县图书馆新增两处城市书房", 1, ("（通讯员 钱晓燕）",)),
        ("story", "■青溪至石湖公交线路加密班次", 1, ("（本报记者 汪洋）",)),
    ]


def test_a_running_header_and_a_pull_quote_are_repeats_and_a_caption_starts_nothing():
    page = read("repeats-and-captions.txt")
    (story,) = page.articles
    assert (story.headline, story.captions, story.unit) == ("石湖镇：小山村走出共富路", ("讨论会现场",), "")
    assert story.paragraphs == (
        "今年以来，石湖镇依托竹林资源发展竹编产业，带动三百多户村民增收。",
        "镇里还成立了竹编合作社，统一接单、统一培训、统一销售。",
        "“竹编让我们在家门口就能挣到钱。”村民李大妈笑着说。",
    )
    assert page.furniture == ["“竹编让我们在家门口就能挣到钱。”", "石湖镇：小山村走出共富路"]


def test_a_magazine_byline_block_names_the_interviewee_and_its_masthead_dates_it():
    page = read("magazine.txt")
    (interview,) = page.articles
    assert fields(interview)[1:] == ("青溪县大数据发展中心", "主任", "陶然", "guest", "以数字化改革撬动基层治理")
    assert interview.kind == "interview"
    assert (interview.kicker, interview.credits) == ("专访", ("文/本刊记者 周敏",))
    assert (interview.date, interview.paper) == ("2023-08-15", "青溪政研")  # a date in characters


@pytest.mark.parametrize(
    "line",
    [
        "代表委员履职小记",  # a series line
        "市教育局负责人当场回应：“这个问题我们马上解决。”",  # a verb where the name would be
        "蔡某会见越方代表团团长、外交部部长苏某",  # a headline about a meeting
        "中央政治局常委简历",
        "记者走访了石湖镇多个村",
    ],
)
def test_sentences_series_lines_and_headlines_about_people_are_no_speakers(line):
    page = read_page(f"{line}\n今年以来，各项工作有序推进。\n", "precision.txt")
    assert [(a.unit, a.person) for a in page.articles if a.unit or a.person] == []


@pytest.mark.parametrize(
    ("text", "headline", "captions"),
    [
        ("直击抗洪现场\n记者在一线看到，官兵们连续奋战。\n", "直击抗洪现场", ()),  # above a paragraph: a headline
        ("上图书馆看书成新风尚\n周末的市图书馆座无虚席。\n", "上图书馆看书成新风尚", ()),
        ("石湖镇：小山村\n第一段，内容。\n村容一角\n第二段，内容。\n", "石湖镇：小山村", ("村容一角",)),
        ("石湖镇：小山村\n第一段，内容。\n上图：村民在晒秋。\n", "石湖镇：小山村", ("上图：村民在晒秋。",)),
    ],
)
def test_a_caption_is_told_from_a_headline_by_its_place_and_its_words(text, headline, captions):
    page = read_page(text, "captions.txt")
    assert_nothing_lost(text.split("\n"), page)
    assert [(a.headline, a.captions) for a in page.articles] == [(headline, captions)]


def test_shapes_seen_on_real_pages_a_site_line_a_source_inside_a_date_line_and_people_placed_in_a_photo():
    """Read from real pages of the genre (their shapes only, in my own words)."""
    text = (
        "两位镇干部的“账本”\n"
        "2021-04-17 09:35:00  來源:青溪農民報  作者:本報記者 林一\n"
        "青溪農民報網\n"
        "陈某(右)、王某(中)在田间查看麦苗长势。\n"
        "清明节，记者回到石湖镇的老家。\n"
        "新华社记者 吴二 张三\n"
        "实习编辑：李四\n"
    )
    page = read_page(text, "real-shapes.txt")
    assert_nothing_lost(text.split("\n"), page)
    (story,) = page.articles
    assert (story.headline, story.date, story.paper) == ("两位镇干部的“账本”", "2021-04-17", "青溪農民報")
    assert story.captions == ("陈某(右)、王某(中)在田间查看麦苗长势。",)
    assert story.credits == ("新华社记者 吴二 张三", "实习编辑：李四")
    assert page.furniture == ["2021-04-17 09:35:00  來源:青溪農民報  作者:本報記者 林一", "青溪農民報網"]


def test_narration_names_the_speaker_after_the_place_and_the_invitation():
    from searcher.reading.speakers import speaker_in_narration

    found = speaker_in_narration(
        ["建军节前夕，采访组在青溪县融媒体中心演播室特邀青溪县委常委、常务副县长周某接受专访。"]
    )
    assert (found.unit, found.position, found.person) == ("青溪县委", "常委、常务副县长", "周某")


def test_the_article_page_shows_where_the_story_goes_on(tmp_path):
    from searcher.build import build
    from tests.conftest import app_for

    text = "竹编工坊开进山村\n本报记者 孙立\n石湖镇依托万亩竹林发展竹编产业，带动三百多户村民增收。\n（下转第3版）\n"
    (tmp_path / "0609-1.txt").write_text(text, "utf-8")
    build([tmp_path / "0609-1.txt"], tmp_path / "index")
    with app_for(tmp_path / "index") as app:
        client = app.test_client()
        (hit,) = client.get("/api/search", query_string={"q": "竹编"}).get_json()["hits"]
        page = client.get(hit["url"]).get_data(as_text=True)
    assert '<p class="jumps"><span>（下转第3版）</span></p>' in page


def test_a_sites_column_name_above_the_headline_and_a_two_digit_year_after_a_label():
    lines = [
        "乡村振兴",
        "当前位置：首页 > 专题专栏 > 乡村振兴 >",
        "竹编工坊开进山村",
        "发布日期：09-06-09 10:12:45 来源：青溪县融媒体中心",
        "石湖镇依托万亩竹林发展竹编产业，今年新建竹编工坊三家，带动三百多户村民增收。",
    ]
    page = read_page("\n".join(lines), "column.txt")
    (story,) = page.articles
    assert (story.headline, story.date) == ("竹编工坊开进山村", "2009-06-09")
    assert page.furniture[:2] == lines[:2]  # the column's name is the site's, like its trail
    assert_nothing_lost(lines, page)


def test_shapes_of_saved_news_pages_a_site_date_source_line_a_spaced_credit_and_a_section_number():
    lines = [
        "打印本页 关闭窗口",
        "定义你的浏览字号:",
        "石湖镇竹编工坊见闻",
        "青溪新闻网 www.qxnews.cn  2023年06月08日 09:30 来源:青溪日报",
        "文丨本报记者 孙 立 周 航",
        "1",
        "清晨六点，石湖镇的竹编工坊已经亮起了灯。",
        "2023-06-08 3 2 青溪日报 content_1234.html 1 石湖镇竹编工坊见闻 /enpproperty-->",
    ]
    page = read_page("\n".join(lines), "saved.txt")
    (story,) = page.articles
    assert (story.headline, story.date, story.paper) == ("石湖镇竹编工坊见闻", "2023-06-08", "青溪日报")
    assert story.credits == ("文丨本报记者 孙 立 周 航",) and story.paragraphs == ("1", lines[6])
    assert page.furniture == [lines[0], lines[1], lines[3], lines[7]]
    assert_nothing_lost(lines, page)
