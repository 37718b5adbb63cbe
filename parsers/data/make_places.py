"""Regenerate places.csv: Chinese place names used to recognise the place part of a park name.

Why a generated list: a park that is not in the gazetteer is recognised only when its name starts
with a place (无锡…高新区, 合肥新站高新区), and company names carry places in brackets
(…（厦门）有限公司). Provinces and prefecture-level cities are written out below (they are also the
only names used bare to tell that a sentence is about a city, not a park); county-level names come
from the place entries (tag `ns`) of jieba's dictionary (MIT licence), filtered of common words.

Run: python parsers/data/make_places.py > parsers/data/places.csv
"""

from __future__ import annotations

import csv
import re
import sys
from pathlib import Path

PROVINCES = {
    "北京": "北京市", "天津": "天津市", "上海": "上海市", "重庆": "重庆市", "河北": "河北省", "山西": "山西省",
    "内蒙古": "内蒙古自治区", "辽宁": "辽宁省", "吉林": "吉林省", "黑龙江": "黑龙江省", "江苏": "江苏省",
    "浙江": "浙江省", "安徽": "安徽省", "福建": "福建省", "江西": "江西省", "山东": "山东省", "河南": "河南省",
    "湖北": "湖北省", "湖南": "湖南省", "广东": "广东省", "广西": "广西壮族自治区", "海南": "海南省",
    "四川": "四川省", "贵州": "贵州省", "云南": "云南省", "西藏": "西藏自治区", "陕西": "陕西省", "甘肃": "甘肃省",
    "青海": "青海省", "宁夏": "宁夏回族自治区", "新疆": "新疆维吾尔自治区", "台湾": "台湾省",
    "香港": "香港特别行政区", "澳门": "澳门特别行政区",
}

CITIES_TEXT = """
石家庄 唐山 秦皇岛 邯郸 邢台 保定 张家口 承德 沧州 廊坊 衡水
太原 大同 阳泉 长治 晋城 朔州 晋中 运城 忻州 临汾 吕梁
呼和浩特 包头 乌海 赤峰 通辽 鄂尔多斯 呼伦贝尔 巴彦淖尔 乌兰察布 兴安 锡林郭勒 阿拉善
沈阳 大连 鞍山 抚顺 本溪 丹东 锦州 营口 阜新 辽阳 盘锦 铁岭 朝阳 葫芦岛
长春 四平 辽源 通化 白山 松原 白城 延边 延吉
哈尔滨 齐齐哈尔 鸡西 鹤岗 双鸭山 大庆 伊春 佳木斯 七台河 牡丹江 黑河 绥化 大兴安岭
南京 无锡 徐州 常州 苏州 南通 连云港 淮安 盐城 扬州 镇江 泰州 宿迁
杭州 宁波 温州 嘉兴 湖州 绍兴 金华 衢州 舟山 台州 丽水
合肥 芜湖 蚌埠 淮南 马鞍山 淮北 铜陵 安庆 黄山 滁州 阜阳 宿州 六安 亳州 池州 宣城
福州 厦门 莆田 三明 泉州 漳州 南平 龙岩 宁德
南昌 景德镇 萍乡 九江 新余 鹰潭 赣州 吉安 宜春 抚州 上饶
济南 青岛 淄博 枣庄 东营 烟台 潍坊 济宁 泰安 威海 日照 临沂 德州 聊城 滨州 菏泽 莱芜
郑州 开封 洛阳 平顶山 安阳 鹤壁 新乡 焦作 濮阳 许昌 漯河 三门峡 南阳 商丘 信阳 周口 驻马店 济源
武汉 黄石 十堰 宜昌 襄阳 襄樊 鄂州 荆门 孝感 荆州 黄冈 咸宁 随州 恩施 仙桃 潜江 天门 神农架
长沙 株洲 湘潭 衡阳 邵阳 岳阳 常德 张家界 益阳 郴州 永州 怀化 娄底 湘西
广州 韶关 深圳 珠海 汕头 佛山 江门 湛江 茂名 肇庆 惠州 梅州 汕尾 河源 阳江 清远 东莞 中山 潮州 揭阳 云浮
南宁 柳州 桂林 梧州 北海 防城港 钦州 贵港 玉林 百色 贺州 河池 来宾 崇左
海口 三亚 三沙 儋州
成都 自贡 攀枝花 泸州 德阳 绵阳 广元 遂宁 内江 乐山 南充 眉山 宜宾 广安 达州 雅安 巴中 资阳 阿坝 甘孜 凉山
贵阳 六盘水 遵义 安顺 毕节 铜仁 黔西南 黔东南 黔南
昆明 曲靖 玉溪 保山 昭通 丽江 普洱 临沧 楚雄 红河 文山 西双版纳 大理 德宏 怒江 迪庆
拉萨 日喀则 昌都 林芝 山南 那曲 阿里
西安 铜川 宝鸡 咸阳 渭南 延安 汉中 榆林 安康 商洛 杨凌
兰州 嘉峪关 金昌 白银 天水 武威 张掖 平凉 酒泉 庆阳 定西 陇南 临夏 甘南
西宁 海东 海北 黄南 果洛 玉树 海西
银川 石嘴山 吴忠 固原 中卫
乌鲁木齐 克拉玛依 吐鲁番 哈密 昌吉 博尔塔拉 巴音郭楞 阿克苏 克孜勒苏 喀什 和田 伊犁 塔城 阿勒泰
石河子 阿拉尔 图木舒克 五家渠 北屯 铁门关 双河 可克达拉 昆玉 胡杨河 新星
"""
CITIES = CITIES_TEXT.split()

# Words the dictionary tags as places that are everyday words or not administrative units.
NOISE = re.compile(
    r"(超市|上市|牛市|黑市|门市|集市|夜市|股市|楼市|菜市|早市|开市|闹市|街市|都市|鬼市|互市|灯市|花市|书市|"
    r"城市|街|地区|园区|新区|开发区|特区|矿区|山区|库区|景区|城区|市区|郊区|灾区|校区|社区|小区|专区|禁区|"
    r"辖区|片区|林区|牧区|营区|战区|试验区|示范区|保护区|老区|半区|湾区|行政区|无人区|保税区|风景区|工业区|"
    r"商业区|经济区|住宅区|旅游区|居民区|管理区|贫困区|东区|西区|南区|北区|中区|上区|下区|三区|七区|"
    r"洲|国|亚|欧|非|美)"
)
ETHNIC = re.compile(r"(?:[\u4e00-\u9fff]{1,3}族)+$")
# County stems that are everyday words and would make "X新区" or "X市" look like a place.
COMMON_WORDS_TEXT = ("繁华 安定 大方 太白 和平 平安 新华 东方 前进 向阳 红旗 新兴 安宁 开放 文明 民主 先锋 胜利 "
                   "光明 团结 幸福 友谊 解放 建设 人民 中心 新城 城中 城关 东北九 斯克 马利")
COMMON_WORDS = frozenset(COMMON_WORDS_TEXT.split())
SUFFIX = re.compile(r"(特别行政区|维吾尔自治区|回族自治区|壮族自治区|自治区|自治州|自治县|地区|省|市|县|区|盟|旗)$")


def jieba_places() -> set[str]:
    import jieba

    dict_path = Path(jieba.__file__).with_name("dict.txt")
    out: set[str] = set()
    for line in dict_path.read_text(encoding="utf-8").splitlines():
        parts = line.split()
        if len(parts) < 3 or parts[2] != "ns":
            continue
        word = parts[0]
        if not re.fullmatch(r"[\u4e00-\u9fff]{3,8}", word) or not SUFFIX.search(word):
            continue
        stem = ETHNIC.sub("", SUFFIX.sub("", word))
        if len(stem) < 2 or NOISE.search(word) or stem in COMMON_WORDS:
            continue
        out.add(stem)
    return out


def main() -> None:
    rows: dict[str, str] = {}
    for short in PROVINCES:
        rows[short] = "province"
    for city in CITIES:
        rows.setdefault(city, "city")
    for stem in sorted(jieba_places()):
        rows.setdefault(stem, "county")
    w = csv.writer(sys.stdout, lineterminator="\n")
    w.writerow(["name", "level"])
    for name, level in rows.items():
        w.writerow([name, level])


if __name__ == "__main__":
    main()
