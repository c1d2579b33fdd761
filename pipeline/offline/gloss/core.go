package gloss

import "strings"

// coreTable is a small table of Arabic function words and very frequent
// news words, written for tarjama (not taken from FreeDict). FreeDict lacks
// many of them (قال، ما، حتى، لم) or glosses them oddly (أن → "Anne"), and
// they are a third of the running words of a news article. It is consulted
// before the dictionary. Columns: word, gloss, and "p" for a preposition
// or "v" for a verb (a pronoun suffix is then an object: منهم → "from
// them", يمكنكم → "can you").
const coreTable = `
في	in	p
من	from	p
إلى	to	p
على	on	p
عن	about	p
مع	with	p
بين	between	p
حول	around	p
ضد	against	p
نحو	toward	p
دون	without	p
لدى	at	p
عند	at	p
منذ	since	p
خلال	during	p
بعد	after	p
قبل	before	p
تحت	under	p
فوق	above	p
أمام	in front of	p
وراء	behind	p
عبر	across	p
حتى	until
لكن	but
لكنه	but he
ولكن	but
أو	or
أم	or
ثم	then
أن	that
إن	that
أنه	that he
إنه	he
أنها	that she
كما	as
مثل	like	p
لأن	because
إذا	if
إذ	as
لو	if
لا	not
لم	did not
لن	will not
ليس	is not
ليست	is not
قد	may
لقد	indeed
ما	what
ماذا	what
لماذا	why
كيف	how
أين	where
متى	when
هل	(question)
هذا	this
هذه	this
ذلك	that
تلك	that
هؤلاء	these
أولئك	those
هناك	there
هنا	here
الذي	who
التي	which
الذين	who
اللذين	who
اللتين	who
اللواتي	who
اللاتي	who
هو	he
هي	she
هم	they
هما	they both
نحن	we
أنا	I
أنت	you
أنتم	you
كل	every
بعض	some
جميع	all
كافة	all
غير	non-
أي	any
أكثر	more
أقل	less
أيضا	also
فقط	only
جدا	very
كان	was
كانت	was
يكون	is
تكون	is
كانوا	were
قال	said	v
قالت	said	v
يقول	says
تقول	says
أضاف	added
أكد	confirmed
يوم	day
أخرى	other
آخر	other
الأخرى	the other
إلا	except
مرة	time
تم	was done	v
عدم	lack of
مليار	billion
مليون	million
ألف	thousand
آلاف	thousands
مئة	hundred
مائة	hundred
في المئة	percent
في المائة	percent
دولار	dollar
بحسب	according to
حسب	according to
وفقا	according to
رغم	despite
مما	which
فيما	while
إحدى	one of
أحد	one of
بل	rather
حين	when
عندما	when
حيث	where
عقب	following
بسبب	because of
بشأن	regarding
يجب	must	v
يمكن	can	v
لا يزال	still
ما زال	still
وفي	and in
عليه	on him	p
عليها	on her	p
عليهم	on them	p
علينا	on us	p
إليه	to him	p
إليها	to her	p
إليهم	to them	p
لديه	he has
لديها	she has
لديهم	they have
شركة	company
الشركة	the company
انتخابات	elections
الانتخابات	the elections
السابق	the former
سابق	former
موقع	site
مجلس	council of
المجلس	the council
حزب	party
الحزب	the party
قرار	decision
بيان	statement
وقت	time
حقوق	rights of
صحيفة	newspaper
تقرير	report
تقارير	reports
اتفاق	agreement
شمال	north of
جنوب	south of
شرق	east of
غرب	west of
واحد	one
اثنان	two
ثلاث	three
ثلاثة	three
أربعة	four
خمسة	five
يناير	January
فبراير	February
مارس	March
أبريل	April
إبريل	April
مايو	May
يونيو	June
يوليو	July
أغسطس	August
سبتمبر	September
أكتوبر	October
نوفمبر	November
ديسمبر	December
كانون الثاني	January
شباط	February
آذار	March
نيسان	April
أيار	May
حزيران	June
تموز	July
آب	August
أيلول	September
تشرين الأول	October
تشرين الثاني	November
كانون الأول	December
بي بي سي	BBC
أول	first
السيد	Mr.
السيدة	Mrs.
اليوم	today
أمس	yesterday
عام	year
العام	the year
سنة	year
شهر	month
أسبوع	week
ساعة	hour
رئيس	head of
الرئيس	the president
وزير	minister of
الوزير	the minister
وزارة	ministry of
حكومة	government of
دولة	state
بلد	country
البلاد	the country
مدينة	city
حرب	war
جيش	army
قوات	forces of
القوات	the forces
مسؤول	official
مسؤولون	officials
المسؤولين	the officials
قتل	killed
مقتل	killing of
أعلن	announced
أعلنت	announced
الأمم المتحدة	the United Nations
الولايات المتحدة	the United States
مجلس الأمن	the Security Council
له	to him	p
لها	to her	p
لهم	to them	p
لنا	to us	p
لي	to me	p
لك	to you	p
به	with it	p
بها	with it	p
بهم	with them	p
فيه	in it	p
فيها	in it	p
`

// coreTables parses coreTable into its light and heavy lookup maps (single
// words) and phrases.
func coreTables() (light, heavy, phrases map[string]entry) {
	light, heavy, phrases = map[string]entry{}, map[string]entry{}, map[string]entry{}
	for _, line := range strings.Split(coreTable, "\n") {
		f := strings.Split(line, "\t")
		if len(f) < 2 {
			continue
		}
		e := entry{gloss: f[1], core: true, prep: len(f) > 2 && (f[2] == "p" || f[2] == "v")}
		if r := f[1][0]; r >= 'A' && r <= 'Z' || strings.Contains(f[1], "United") || strings.Contains(f[1], "Security") {
			e.name = true
		}
		words := strings.Fields(lightNorm(f[0]))
		if len(words) > 1 {
			for i, w := range words {
				words[i] = heavyNorm(w)
			}
			phrases[strings.Join(words, " ")] = e
			continue
		}
		light[words[0]] = e
		if _, ok := heavy[heavyNorm(words[0])]; !ok {
			heavy[heavyNorm(words[0])] = e
		}
	}
	return light, heavy, phrases
}
