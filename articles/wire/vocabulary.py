"""The words attribution reading relies on: speech verbs, where a party ends, titles, outlets,
unnamed people, and the weight of each reason. Data, kept apart from the reading in
`attributions`; all forms are as `normalize()` folds them.
"""

import re

from ..arabic import normalize
from .matching import folded_words

# Past and present forms, normalised; "و"/"ف" before them and the feminine or plural ending are
# allowed by VERB.
_SPEECH_VERBS_TEXT = (
    "قال اكد صرح افاد اشار اعلن اوضح ذكر كشف نقل بين اضاف تابع شدد لفت نفي حذر اعتبر راي زعم ادعي "
    "دعا وصف علق اتهم رجح توقع اعرب استبعد اقر اعترف ابلغ اخبر نوه اورد رحب نفت دعت رات ادعت"
)
SPEECH_VERBS = _SPEECH_VERBS_TEXT.split()
_PRESENT_VERBS_TEXT = (
    "يقول تقول يضيف تضيف يءكد تءكد يري تري يوضح توضح يشير تشير يعلن تعلن يكشف تكشف ينفي تنفي يحذر تحذر يدعو تدعو"
)
PRESENT_VERBS = _PRESENT_VERBS_TEXT.split()
VERB = re.compile(r"^[وف]?(?:{})(?:ت|وا|تا|ا)?$".format("|".join(SPEECH_VERBS)))
PRESENT = re.compile(r"^[وف]?(?:{})$".format("|".join(PRESENT_VERBS)))
# "بحسب", "حسبما", "وفقا لـ", "طبقا لـ", "نقلا عن", "على لسان": the party follows.
REPORTED = {
    normalize(w): w
    for w in ("بحسب", "حسب", "حسبما", "وحسبما", "وبحسب", "وحسب", "وفقا", "ووفقا", "وفق", "طبقا", "نقلا", "ونقلا")
}
ON_THE_TONGUE = ("علي", "لسان")  # "على لسان" after normalising ى
PUNCTUATION = '،,.:؛;!؟?“”«»"()'
CLAUSE_END = "،,:؛;"
# Where a party named after its verb ends: the reported speech, a preposition, a time.
PARTY_STOP_WORDS = folded_words(
    "أن إن بأن أنه إنه بأنه أنها بأنها أنهم بأنهم إلى عن يوم اليوم أمس مساء صباح خلال أثناء لدى عبر عقب "
    "بعد قبل على السبت الأحد الاثنين الثلاثاء الأربعاء الخميس الجمعة أيضا كذلك بدوره بدورها الذي التي "
    "الذين حين عندما بينما فيما لكن إنه ما فإن وإن لأن كي هذه هذا ذلك تلك هؤلاء أمام حول ضمن وسط بين من "
    "طلب طلبت فضل فضلت رفض رفضت شريطة "
    "مشترطا مفضلا"
)
THAT = folded_words("أن ان أنه انه أنها بأن ضرورة")
# "المبعوث الخاص إلى اليمن": after these titles "إلى" belongs to the party.
TITLES_WITH_TO = folded_words("المبعوث مبعوث السفير سفير الممثل ممثل المنسق منسق الموفد موفد")
# "عدد من المسؤولين", "أحد سكان": after these "من" belongs to the party.
COUNTS_WITH_OF = folded_words("عدد بعض العديد عشرات مئات أحد إحدى عدة كثير")
# What a verb like أعلن or نفى acts on, never part of a party's name ("نفت الوزارة الأنباء").
OBJECT_NOUNS = folded_words(
    "الأنباء أنباء التقارير تقارير الشائعات شائعات الاتهامات اتهامات الخبر وصول استئناف إطلاق بدء "
    "تعليق فتح إغلاق رفع خفض تأجيل إلغاء وقوع مقتل إصابة انتهاء توقيع حالة وجود اكتشاف الرواية رواية"
)
# "في بيان", "في مؤتمر صحفي", "في وقت سابق": the occasion, not part of the party.
OCCASION_WORDS = folded_words(
    "بيان تصريح تصريحات حديث مؤتمر مقابلة كلمة لقاء تغريدة منشور رسالة اتصال ختام أعقاب وقت ساعة "
    "ساعات جلسة اجتماع إيجاز ندوة خطاب"
)
# "لـ«تليسكوب»", "للصحفيين", "لوكالة": who was told, not who spoke.
# "لـ«تليسكوب»", "للصحفيين", "لوكالة", "لرويترز": who was told, not who spoke.
TOLD = folded_words("الصحفيين الصحافيين الصحافة الإعلام الإعلاميين رويترز")
MAX_PARTY_WORDS = 10
# Nouns that describe a person or group without naming them.
UNNAMED_NOUNS = folded_words(
    "مسؤول مسؤولة مسؤولين مسؤولون ضابط ضباط مصدر مصادر دبلوماسي دبلوماسيين دبلوماسيون شاهد شهود "
    "عضو أعضاء مستشار موظف موظفين عنصر عناصر قيادي قياديين خبير خبراء ناشط ناشطين ناشطون مقاتل "
    "مقاتلين سكان مراقبين مراقبون محلل محللين مسعف مسعفون مسعفين طبيب أطباء مواطن مواطنون مواطنين "
    "عامل عاملون عمال تاجر تجار مقرب مقربون"
)
COUNTING_WORDS = folded_words("أحد إحدى بعض عدد عدة من اثنان اثنين ثلاثة أربعة خمسة ستة سبعة ثمانية تسعة عشرة")
# A party that opens with one of these is a title or a body: the usual shape of a source.
TITLE_WORDS = folded_words(
    "وزير وزيرة وزارة الوزير الوزارة رئيس رئيسة الرئيس الرئاسة نائب المتحدث متحدث الناطق ناطق "
    "مدير مديرة المدير سفير السفير قائد القائد زعيم الأمين أمين محافظ المحافظ حاكم الحاكم ممثل "
    "الممثل المبعوث مبعوث الجيش القوات الحكومة حكومة الشرطة الدفاع الخارجية الداخلية الأمم "
    "منظمة المنظمة مفوضية المفوضية مجلس المجلس لجنة اللجنة هيئة الهيئة مكتب المكتب البنك المصرف "
    "مصرف الكرملين البيت البنتاغون الخارجية وكالة الوكالة صحيفة الصحيفة قناة القناة تلفزيون "
    "التلفزيون إذاعة موقع الموقع جمعية الجمعية اتحاد الاتحاد نقابة النقابة شركة الشركة جامعة "
    "الجامعة مستشفى المستشفى مديرية المديرية إدارة الإدارة المرصد مرصد الدفاع الهلال الصليب "
    "الجامعة البرلمان برلمان النائب المعارضة الحزب حزب حركة الحركة الفصائل المنسق منسق المتحدثة "
    "مركز المركز الدكتور دكتور الشيخ المهندس الأستاذ"
)
OUTLET_WORDS = folded_words("وكالة الوكالة صحيفة الصحيفة قناة القناة تلفزيون التلفزيون إذاعة موقع الموقع")
PERSON_WORDS = folded_words(
    "وزير وزيرة الوزير رئيس رئيسة الرئيس نائب المتحدث متحدث الناطق ناطق مدير مديرة المدير سفير "
    "السفير قائد القائد زعيم الأمين أمين محافظ المحافظ حاكم الحاكم ممثل الممثل المبعوث مبعوث "
    "النائب المنسق منسق المتحدثة الدكتور دكتور الشيخ المهندس الأستاذ"
)
# Words a party never opens with: times and circumstances, speech itself, things and events.
TIME_OR_PLACE = folded_words(
    "في وقت سابق لاحق لاحقا اليوم أمس غدا صباح مساء ليل بعد قبل خلال منذ حين عند هنا هناك حاليا أيضا كذلك مجددا مرة"
)
FIRST_PERSON = folded_words(
    "لقد قد إننا إنني نحن أنا هو هي هم أننا لن لم لا سوف كان كانت كانوا تم يتم ليس ليست هذا هذه ذلك تلك عملت قلت كنت"
)
PREPOSITIONS = folded_words("في من على إلى عن مع ب ل حول ضد نحو")
NOT_AGENTS = folded_words(
    "محاكمة المحاكمة القانون قانون الدستور دستور الاتفاق اتفاق الاتفاقية الخطة خطة القرار قرار "
    "الوضع الأمر الحرب الأزمة الأرقام الإحصاءات البيانات المعلومات التقديرات النتائج الدراسة "
    "التقرير تقرير صور الصور الكاميرات أرقام إحصاءات تقديرات معلومات بيانات نتائج دراسة الخطوة "
    "الأسعار العملية الحادثة الانفجار الزلزال"
)
# Document nouns after "بحسب"/"وفقاً لـ": the party is whoever issued them ("وفقاً لبيان صادر عن
# وزارة الصحة", "بحسب تقديرات البنك الدولي").
DOCUMENT_NOUNS = folded_words(
    "بيان تقرير تقارير تقديرات إحصاءات أرقام بيانات معلومات دراسة نتائج وثيقة تصريحات رسالة مصادر صور وسائل"
)
ISSUED_BY = folded_words("صادر صادرة الصادر الصادرة عن ل")
# "طلب عدم ذكر اسمه", "فضّل عدم الكشف عن هويته", "شريطة عدم نشر اسمه", "رفض الكشف عن اسمه".
ANONYMITY = re.compile(r"(?:عدم|رفض|رفضت|دون|يشا|تشا) (?:ذكر|الكشف عن|كشف|نشر|الافصاح عن) (?:اسم|هويت|هوي)")
# The definite titles a story uses to speak again of someone it has named ("وأشار المسؤول…").
BACK_REFERENCES = folded_words(
    "المسؤول المسؤولة الضابط المصدر الوزير الوزيرة الرئيس المتحدث المتحدثة السفير المبعوث القائد "
    "المدير المحافظ الناطق الدبلوماسي الخبير المستشار النائب البيان التقرير الرسالة"
)
# Phrases that open a clause before its verb ("من جهته، قال …"): not part of a party before a verb.
DISCOURSE = folded_words("من جهته جهتها جانبه جانبها جانبهم بدوره بدورها المقابل سياق متصل ذلك وفي وقت كما")
AUXILIARIES = folded_words("كان كانت وكان وكانت قد وقد لقد فقد كانوا وكانوا")
MAX_SUBJECT_WORDS = 10

# How much each reason adds to (or takes from) the confidence of an attribution.
WEIGHTS = {
    "verb_first": 0.6,
    "subject_first": 0.55,
    "reported": 0.55,
    "relayed": 0.55,
    "colon": 0.4,
    "apposition": 0.1,
    "registry_exact": 0.3,
    "registry_partial": 0.15,
    "named_earlier": 0.1,
    "title": 0.2,
    "unnamed": 0.2,
    "asked_anonymity": 0.1,
    "time_or_place": -0.6,
    "first_person": -0.6,
    "preposition": -0.5,
    "not_an_agent": -0.45,
    "long": -0.15,
}
# Below this a reading is not proposed at all; below PROPOSE_AT it is shown but left out by default.
MIN_CONFIDENCE = 0.3
PROPOSE_AT = 0.5
LONG_PARTY_WORDS = 8
