/* Word lists for the parts of a generated policy document that are names rather than
 * prose: issuers with their document-number prefixes, departments, the verbs, domains
 * and aims titles and headings are made of. Modelled on the seed corpus. */
#include "config.h"

#include <stdio.h>

#include "gen.h"

#define N(array) (sizeof(array) / sizeof((array)[0]))

#define CITY(city, abbr)                                                         \
    {"中共" city "市委", abbr "字", GEN_ISSUER_PARTY},                           \
    {city "市人民政府", abbr "府", GEN_ISSUER_GOV},                              \
    {city "市人民政府办公厅", abbr "府办", GEN_ISSUER_GOV_OFFICE},               \
    {city "市人大常委会", abbr "人大", GEN_ISSUER_CONGRESS}

/* The first four are Guangzhou's, which the generator favours like the seeds do. */
const gen_issuer_t gen_issuers[] = {
    CITY("广州", "穗"), CITY("深圳", "深"), CITY("佛山", "佛"), CITY("东莞", "东"),
    CITY("珠海", "珠"), CITY("中山", "中"), CITY("惠州", "惠"), CITY("江门", "江"),
    CITY("肇庆", "肇"), CITY("汕头", "汕"), CITY("湛江", "湛"), CITY("韶关", "韶"),
    {"中共广东省委", "粤发", GEN_ISSUER_PARTY},
    {"广东省人民政府", "粤府", GEN_ISSUER_GOV},
    {"广东省人民政府办公厅", "粤府办", GEN_ISSUER_GOV_OFFICE},
    {"广东省人大常委会", "粤人大", GEN_ISSUER_CONGRESS},
};
const size_t gen_nissuers = N(gen_issuers);

/* Canonical names (Simplified, with the 市 prefix); the document may drop the 市. */
const char *const gen_departments[] = {
    "市科技局", "市经贸委", "市信息办", "市外经贸局", "市人事局", "市外办", "市委办公厅",
    "市府办公厅", "市发展改革委", "市财政局", "市工商局", "市科技创新委", "市政务办",
    "市商务局", "市市场监管局", "市委外办", "市港澳办", "市工业和信息化局", "市教育局",
    "市人力资源社会保障局", "市国资委", "市金融局", "市规划和自然资源局", "市住房城乡建设局",
    "市交通运输局", "市生态环境局", "市卫生健康委", "市文化广电旅游局", "市统计局", "市税务局",
    "市知识产权局", "市委组织部", "市委宣传部", "市司法局", "市公安局", "市农业农村局",
    "市水务局", "市城市管理综合执法局", "市应急管理局", "市民政局", "市体育局", "市审计局",
    "市国规委", "市法制办", "市口岸办", "市协作办", "市侨办", "市档案局", "市地方志办",
    "市医保局", "市退役军人事务局", "市林业园林局", "市来穗人员服务管理局", "市政数局",
    "广州高新区管委会", "南沙区政府", "黄埔区政府", "天河区政府", "番禺区政府", "各区政府",
    "领导小组办公室", "广州知识产权法院", "市中级人民法院", "市人民检察院",
};
const size_t gen_ndepartments = N(gen_departments);

const char *const gen_verbs[] = {
    "加快推进", "大力推进", "进一步加强", "深入实施", "全面推进", "促进", "支持", "完善",
    "加快发展", "做好", "推动", "深化", "规范", "加强", "进一步优化", "扎实推进", "健全",
    "积极发展", "切实做好", "着力提升",
};
const size_t gen_nverbs = N(gen_verbs);

const char *const gen_domains[] = {
    "自主创新", "高新技术产业发展", "知识产权工作", "科技创新", "人才队伍建设",
    "中小企业发展", "数字经济", "现代服务业", "生态文明建设", "城市更新", "营商环境建设",
    "乡村振兴", "对外开放", "教育事业发展", "医疗卫生服务", "交通基础设施建设",
    "文化产业发展", "金融服务实体经济", "先进制造业", "知识产权保护", "科技金融",
    "智能制造", "新能源汽车产业", "生物医药产业", "集成电路产业", "人工智能产业",
    "软件和信息服务业", "跨境电子商务", "总部经济", "会展业", "旅游业", "物流业",
    "养老服务", "住房保障", "食品安全", "安全生产", "社会信用体系建设", "政务服务",
    "电子政务", "大数据应用", "科技成果转化", "产学研合作", "孵化器建设",
    "众创空间发展", "粤港澳大湾区建设", "国家自主创新示范区建设", "创新型城市建设",
    "质量强市建设", "标准化工作", "节能减排", "水污染防治", "大气污染防治",
    "垃圾分类处理", "历史文化名城保护", "公共文化服务体系建设", "全民健身", "就业创业",
    "社会保障体系建设", "农村综合改革", "国有企业改革", "民营经济发展", "招商引资",
    "外贸稳增长", "口岸建设", "海洋经济", "都市农业", "港口航运", "航空枢纽建设",
    "轨道交通建设", "法治政府建设", "行政审批制度改革", "财政资金管理", "统计工作",
    "审计监督", "应急管理体系建设", "社区治理", "来穗人员服务管理", "科普工作",
};
const size_t gen_ndomains = N(gen_domains);

const char *const gen_plans[] = {
    "实施方案", "行动计划", "管理办法", "若干措施", "工作方案", "发展规划", "实施意见",
    "实施细则", "三年行动计划", "专项规划", "扶持办法", "考核办法",
};
const size_t gen_nplans = N(gen_plans);

const char *const gen_aims[] = {
    "提升核心竞争能力", "增强自主创新能力", "优化创新创业环境", "培育龙头企业和产业集群",
    "加强组织领导", "强化政策保障", "完善体制机制", "加大资金投入", "加强人才支撑",
    "营造良好氛围", "狠抓工作落实", "强化监督考核", "推进开放合作", "夯实发展基础",
    "提高服务水平", "健全工作机制", "突出发展重点", "明确目标任务", "坚持统筹协调",
    "深化改革创新", "促进协同发展", "加强宣传引导", "完善配套政策", "落实主体责任",
    "拓宽融资渠道", "优化空间布局", "推动转型升级", "提升治理能力", "加强风险防控",
    "扩大有效投资",
};
const size_t gen_naims = N(gen_aims);

void gen_words_numeral(int n, char *out, size_t outlen)
{
    static const char *const digit[] = {"", "一", "二", "三", "四", "五", "六", "七", "八", "九"};
    if (n < 1 || n > 99) {
        snprintf(out, outlen, "%d", n);
        return;
    }
    int tens = n / 10, ones = n % 10;
    if (tens == 0)
        snprintf(out, outlen, "%s", digit[ones]);
    else
        snprintf(out, outlen, "%s十%s", tens == 1 ? "" : digit[tens], digit[ones]);
}
