package main

import (
	"github.com/chekara/chekara/app"
	"github.com/chekara/chekara/app/mrz"
	"github.com/chekara/chekara/app/training"
)

var (
	fExpired  = []training.Finding{training.FindExpired}
	fCheck    = []training.Finding{training.FindCheckDigit}
	fListed   = []training.Finding{training.FindListedPerson}
	fStolen   = []training.Finding{training.FindStolenDocument}
	fOverstay = []training.Finding{training.FindOverstay}
	fImpostor = []training.Finding{training.FindImpostor}
	fMismatch = []training.Finding{training.FindDataMismatch}
)

func basics() training.Pack {
	return build("basics",
		T{En: "Basics: reading a passport", Ru: "Основы: проверка паспорта", Ky: "Негиздер: паспортту текшерүү"},
		T{En: "Valid and expired documents, check digits, citizens and minors, entry and exit.",
			Ru: "Действительные и просроченные документы, контрольные цифры, граждане и несовершеннолетние, въезд и выезд.",
			Ky: "Жарактуу жана мөөнөтү өткөн документтер, текшерүү сандары, жарандар жана жашы жете электер, кирүү жана чыгуу."},
		nil,
		[]tv{
			{id: "b01", face: 101, f: person("P", "KGZ", "ASANOV", "TALANT", "AC2045871", "KGZ", "1988-06-15", "M", "2031-02-28"),
				key: admit(training.SkillValidity, T{
					En: "A citizen with a valid passport: every check passes, free movement. Admit without delay.",
					Ru: "Гражданин с действительным паспортом: все проверки пройдены, свободное передвижение. Пропустите без задержки.",
					Ky: "Жарактуу паспорту бар жаран: бардык текшерүүлөр өттү, эркин жүрүү. Кечиктирбей өткөрүңүз."})},
			{id: "b02", face: 102, f: person("P", "KAZ", "NURLANOVA", "AIGERIM", "N14820377", "KAZ", "1995-03-02", "F", "2029-09-30"),
				key: admit(training.SkillValidity, T{
					En: "A Kazakh citizen: EAEU free movement, no stay limit. Admit.",
					Ru: "Гражданка Казахстана: свободное передвижение ЕАЭС, без ограничения срока. Пропустите.",
					Ky: "Казакстандын жараны: ЕАЭБ боюнча эркин жүрүү, мөөнөт чеги жок. Өткөрүңүз."})},
			{id: "b03", face: 103, f: person("P", "D", "SCHNEIDER", "JONAS", "C01X00T47", "D", "1979-11-20", "M", "2026-10-31"),
				key: refuse([]string{"A"}, fExpired, T{
					En: "The passport expired on 31 October 2026. A foreigner's expired passport is no valid travel document: refuse, reason A.",
					Ru: "Паспорт истёк 31 октября 2026 года. Просроченный паспорт иностранца — не действительный документ: отказ, основание A.",
					Ky: "Паспорттун мөөнөтү 2026-жылдын 31-октябрында бүткөн. Чет элдиктин мөөнөтү өткөн паспорту жарактуу документ эмес: баш тартыңыз, негиз A."})},
			{id: "b04", face: 104, f: person("P", "KGZ", "ABDYKADYROVA", "NURIZA", "AC1377420", "KGZ", "1990-01-12", "F", "2026-08-14"),
				key: admit(training.SkillValidity, T{
					En: "A citizen entering on an expired passport is never refused entry: the booth says CAUTION, not STOP. Admit and tell her to renew it.",
					Ru: "Гражданину с просроченным паспортом во въезде не отказывают: будка показывает ВНИМАНИЕ, а не СТОП. Пропустите и напомните заменить паспорт.",
					Ky: "Мөөнөтү өткөн паспорту бар жаранга кирүүдөн баш тартылбайт: кабина ЭСКЕРТҮҮ дейт, ТОКТО эмес. Өткөрүп, паспортун алмаштырууну эскертиңиз."})},
			{id: "b05", face: 105, f: person("P", "USA", "MILLER", "EMILY ROSE", "584930211", "USA", "1992-07-04", "F", "2033-05-18"),
				alter: flipDigit(1, 9),
				key: refuse([]string{"B", "A"}, fCheck, T{
					En: "The document number's check digit fails: the MRZ was altered or badly made. Refuse (B) or refer; never type the number in again to make it pass.",
					Ru: "Контрольная цифра номера не сходится: MRZ изменена или изготовлена с ошибкой. Отказ (B) или направление на углублённую проверку; не перепечатывайте номер, чтобы «прошло».",
					Ky: "Документтин номеринин текшерүү саны дал келбейт: MRZ өзгөртүлгөн же ката жасалган. Баш тартыңыз (B) же кошумча текшерүүгө жибериңиз; өтсүн деп номерди кайра тербеңиз."},
					app.Refer)},
			{id: "b06", face: 106, f: person("P", "KGZ", "TOKTOGULOV", "ERLAN", "AC3301958", "KGZ", "2012-04-09", "M", "2030-04-08"),
				key: admit(training.SkillValidity, T{
					En: "A citizen aged 14: the booth warns about a minor. Check who travels with him; with a parent present, admit.",
					Ru: "Гражданину 14 лет: будка предупреждает о несовершеннолетнем. Проверьте, с кем он едет; при родителе — пропустите.",
					Ky: "Жаран 14 жашта: кабина жашы жете электиги жөнүндө эскертет. Ким менен баратканын текшериңиз; ата-энеси менен болсо — өткөрүңүз."})},
			{id: "b07", face: 107, f: person("P", "GBR", "WRIGHT", "OLIVER JAMES", "533127864", "GBR", "1985-12-01", "M", "2026-12-20"),
				key: admit(training.SkillValidity, T{
					En: "Valid for thirteen more days: the booth marks an expiry soon. Still valid today: admit, and mention it.",
					Ru: "Паспорт действует ещё тринадцать дней: будка отмечает скорое окончание срока. Сегодня он действителен: пропустите и предупредите.",
					Ky: "Паспорт дагы он үч күн жарактуу: кабина мөөнөтү жакында бүтөрүн белгилейт. Бүгүн жарактуу: өткөрүп, эскертиңиз."})},
			{id: "b08", face: 108, format: mrz.TD1, f: person("ID", "KGZ", "SADYKOV", "BAKYT", "ID0458812", "KGZ", "1975-05-30", "M", "2028-01-15"),
				key: admit(training.SkillValidity, T{
					En: "A citizen's ID card (three MRZ lines) is a travel document within the EAEU. Admit.",
					Ru: "ID-карта гражданина (три строки MRZ) — документ для поездок в пределах ЕАЭС. Пропустите.",
					Ky: "Жарандын ID-картасы (MRZдин үч сабы) ЕАЭБ ичинде жол жүрүү документи. Өткөрүңүз."})},
			{id: "b09", face: 109, dir: app.Exit, f: person("P", "JPN", "TANAKA", "HARUTO", "TK4417208", "JPN", "1983-09-17", "M", "2030-06-30"),
				earlier: []training.Earlier{e("2026-11-28", app.Entry, "MANAS")},
				key: admit(training.SkillValidity, T{
					En: "Leaving ten days after entering at Manas airport: well within his stay. Admit the exit.",
					Ru: "Выезжает через десять дней после въезда через аэропорт Манас — в пределах срока пребывания. Пропустите на выезд.",
					Ky: "Манас аэропорту аркылуу киргенден он күн өткөндө чыгып жатат: мөөнөтүнүн ичинде. Чыгууга өткөрүңүз."})},
			{id: "b10", face: 110, f: person("P", "UZB", "KARIMOV", "SHERZOD", "FA7731046", "UZB", "1991-02-25", "M", "2025-03-01"),
				key: refuse([]string{"A"}, fExpired, T{
					En: "Expired since March 2025: no valid travel document. Refuse, reason A; the citizen rule is for Kyrgyz citizens only.",
					Ru: "Паспорт просрочен с марта 2025 года: нет действительного документа. Отказ, основание A; правило для граждан касается только граждан Кыргызстана.",
					Ky: "2025-жылдын мартынан бери мөөнөтү өткөн: жарактуу документ жок. Баш тартыңыз, негиз A; жарандар эрежеси Кыргызстандын жарандарына гана тиешелүү."})},
			{id: "b11", face: 111, f: person("P", "RUS", "SMIRNOVA", "OLGA", "751234567", "RUS", "1969-10-05", "F", "2029-11-11"),
				alter: flipDigit(1, 19),
				key: refuse([]string{"B", "A"}, fCheck, T{
					En: "The birth date's check digit fails. A real passport never has a wrong check digit: refuse (B) or refer for the document to be examined.",
					Ru: "Контрольная цифра даты рождения не сходится. У подлинного паспорта контрольные цифры всегда верны: отказ (B) или направление на экспертизу документа.",
					Ky: "Туулган күнүнүн текшерүү саны дал келбейт. Чыныгы паспорттун текшерүү сандары дайыма туура: баш тартыңыз (B) же документти текшерүүгө жибериңиз."},
					app.Refer)},
			{id: "b12", face: 112, dir: app.Exit, f: person("P", "KGZ", "ISAKOVA", "JYLDYZ", "AC5512093", "KGZ", "1999-08-21", "F", "2025-11-30"),
				key: refuse([]string{"A"}, fExpired, T{
					En: "Leaving on an expired passport: the citizen rule covers entry only. She cannot travel on it: refuse the exit, reason A, and send her to renew it.",
					Ru: "Выезд по просроченному паспорту: правило для граждан касается только въезда. Ехать по нему нельзя: отказ в выезде, основание A, направьте заменить паспорт.",
					Ky: "Мөөнөтү өткөн паспорт менен чыгуу: жарандар эрежеси кирүүгө гана тиешелүү. Аны менен жол жүрүүгө болбойт: чыгуудан баш тартыңыз, негиз A, паспортун алмаштырууга жибериңиз."})},
		})
}
