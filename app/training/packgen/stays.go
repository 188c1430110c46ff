package main

import (
	"github.com/chekara/chekara/app"
	"github.com/chekara/chekara/app/training"
)

func stays() training.Pack {
	in, out := app.Entry, app.Exit
	return build("stays",
		T{En: "Stay rules across posts", Ru: "Правила пребывания на разных пунктах", Ky: "Ар кайсы бекеттердеги болуу эрежелери"},
		T{En: "Days of stay counted over entries and exits at Manas, Torugart, Ak-Jol and Dostuk, under each nationality's rule.",
			Ru: "Дни пребывания по въездам и выездам через Манас, Торугарт, Ак-Жол и Достук — по правилу для каждого гражданства.",
			Ky: "Манас, Торугарт, Ак-Жол жана Достук аркылуу кирүү-чыгуулар боюнча болуу күндөрү — ар бир жарандык үчүн өз эрежеси менен."},
		nil,
		[]tv{
			{id: "s01", dir: out, face: 401, f: person("P", "USA", "JOHNSON", "MICHAEL", "561002938", "USA", "1977-04-18", "M", "2031-03-03"),
				earlier: []training.Earlier{e("2026-08-01", in, "MANAS")},
				key: refer(fOverstay, T{
					En: "Entered at Manas on 1 August: 129 days against 90 in 180. Leaving is not refused; the overstay is: refer him for the overstay protocol.",
					Ru: "Въехал через Манас 1 августа: 129 дней при норме 90 из 180. Выезд не запрещают, но превышение срока оформляют: направьте его на составление протокола.",
					Ky: "1-августта Манас аркылуу кирген: 180 күндүн ичинде 90 күндүн ордуна 129 күн. Чыгуудан баш тартылбайт, бирок ашып кетүү тариздөөгө тийиш: протокол үчүн жибериңиз."})},
			{id: "s02", face: 402, f: person("P", "GBR", "TAYLOR", "SOPHIE", "541882037", "GBR", "1990-09-09", "F", "2033-02-02"),
				earlier: []training.Earlier{e("2026-06-15", in, "MANAS"), e("2026-09-12", out, "AK-JOL")},
				key: refuse([]string{"F"}, fOverstay, T{
					En: "In at Manas 15 June, out at Ak-Jol 12 September: 90 days, the whole allowance of 90 in 180 is used. Refuse entry, reason F, until days free up.",
					Ru: "Въезд через Манас 15 июня, выезд через Ак-Жол 12 сентября: 90 дней — вся норма 90 из 180 использована. Отказ во въезде, основание F, пока не освободятся дни.",
					Ky: "15-июнда Манас аркылуу кирип, 12-сентябрда Ак-Жол аркылуу чыккан: 90 күн — 180 күндөгү 90 күндүк чеги толук колдонулган. Күндөр бошогонго чейин кирүүдөн баш тартыңыз, негиз F."})},
			{id: "s03", face: 403, f: person("P", "MNG", "BATBAYAR", "GANBOLD", "E04471823", "MNG", "1985-01-30", "M", "2030-12-12"),
				earlier: []training.Earlier{e("2026-10-20", in, "DOSTUK"), e("2026-11-18", out, "TORUGART")},
				key: refuse([]string{"F"}, fOverstay, T{
					En: "A Mongolian citizen has 30 days in 60, not 90 in 180: 20 October to 18 November used all 30. Refuse entry, reason F.",
					Ru: "У гражданина Монголии 30 дней из 60, а не 90 из 180: с 20 октября по 18 ноября использованы все 30. Отказ во въезде, основание F.",
					Ky: "Монголиянын жаранына 180 күндөн 90 эмес, 60 күндөн 30 күн: 20-октябрдан 18-ноябрга чейин 30 күн толук колдонулган. Кирүүдөн баш тартыңыз, негиз F."})},
			{id: "s04", face: 404, f: person("P", "UZB", "RAKHIMOV", "JASUR", "FA5590013", "UZB", "1992-11-03", "M", "2032-11-02"),
				earlier: []training.Earlier{e("2026-05-01", in, "DOSTUK"), e("2026-08-20", out, "DOSTUK")},
				key: admit(training.SkillStay, T{
					En: "112 days this year, but Uzbekistan's rule is 180 in 360: 68 days remain. Admit.",
					Ru: "112 дней в этом году, но для Узбекистана правило 180 из 360: осталось 68 дней. Пропустите.",
					Ky: "Быйыл 112 күн, бирок Өзбекстан үчүн эреже 360 күндөн 180 күн: 68 күн калды. Өткөрүңүз."})},
			{id: "s05", dir: out, face: 405, f: person("P", "KAZ", "SERIKOV", "DAULET", "N20917734", "KAZ", "1980-07-12", "M", "2029-07-11"),
				earlier: []training.Earlier{e("2026-01-10", in, "AK-JOL")},
				key: admit(training.SkillStay, T{
					En: "Almost a year since entering, but a Kazakh citizen moves freely in the EAEU: no stay limit. Admit the exit.",
					Ru: "Почти год после въезда, но гражданин Казахстана свободно передвигается в ЕАЭС: срок не ограничен. Пропустите на выезд.",
					Ky: "Киргенден бери дээрлик бир жыл, бирок Казакстандын жараны ЕАЭБде эркин жүрөт: мөөнөт чектелбейт. Чыгууга өткөрүңүз."})},
			{id: "s06", dir: out, face: 406, f: person("P", "D", "WEBER", "LUKAS", "C4F9K2L71", "D", "1994-03-21", "M", "2034-03-20"),
				earlier: []training.Earlier{e("2026-10-01", in, "MANAS")},
				key: admit(training.SkillStay, T{
					En: "In since 1 October: 68 days of 90. Admit the exit.",
					Ru: "Находится с 1 октября: 68 дней из 90. Пропустите на выезд.",
					Ky: "1-октябрдан бери: 90 күндөн 68 күн. Чыгууга өткөрүңүз."})},
			{id: "s07", dir: out, face: 407, f: person("P", "USA", "GARCIA", "MARIA ELENA", "570013962", "USA", "1988-12-24", "F", "2032-06-15"),
				earlier: []training.Earlier{e("2026-07-01", in, "TORUGART"), e("2026-08-15", out, "DOSTUK"), e("2026-08-25", in, "MANAS")},
				key: refer(fOverstay, T{
					En: "Two visits at three posts: 46 days from Torugart to Dostuk, then 105 since Manas — 151 in 180 against 90. Count every post; refer for the overstay.",
					Ru: "Два визита через три пункта: 46 дней от Торугарта до Достука, затем 105 с Манаса — 151 из 180 при норме 90. Считайте все пункты; направьте для оформления превышения.",
					Ky: "Үч бекет аркылуу эки келүү: Торугарттан Достукка чейин 46 күн, андан кийин Манастан бери 105 — 90 ордуна 180 күндөн 151. Бардык бекеттерди эсептеңиз; ашып кетүү үчүн жибериңиз."})},
			{id: "s08", dir: out, face: 408, f: person("P", "TUR", "DEMIR", "AYSE", "U18830462", "TUR", "1991-05-17", "F", "2031-05-16"),
				earlier: []training.Earlier{e("2026-09-09", in, "MANAS")},
				key: admit(training.SkillStay, T{
					En: "9 September to 7 December is exactly 90 days, today included: the last permitted day. Admit the exit.",
					Ru: "С 9 сентября по 7 декабря — ровно 90 дней, включая сегодня: последний разрешённый день. Пропустите на выезд.",
					Ky: "9-сентябрдан 7-декабрга чейин бүгүнкү күн менен так 90 күн: акыркы уруксат берилген күн. Чыгууга өткөрүңүз."})},
			{id: "s09", dir: out, face: 409, f: person("P", "TUR", "KAYA", "EMRE", "U18830577", "TUR", "1989-08-08", "M", "2031-08-07"),
				earlier: []training.Earlier{e("2026-09-08", in, "TORUGART")},
				key: refer(fOverstay, T{
					En: "From 8 September it is 91 days: one day over. One day is an overstay too: refer.",
					Ru: "С 8 сентября — 91 день: на один день больше. Один день — тоже превышение: направьте.",
					Ky: "8-сентябрдан бери 91 күн: бир күн ашык. Бир күн да ашып кетүү: жибериңиз."})},
			{id: "s10", face: 410, f: person("P", "KGZ", "MAMATOVA", "ELMIRA", "AC9920155", "KGZ", "1983-02-02", "F", "2030-02-01"),
				earlier: []training.Earlier{e("2025-12-01", out, "MANAS")},
				key: admit(training.SkillStay, T{
					En: "A citizen back after a year abroad: no stay rule applies to citizens. Admit.",
					Ru: "Гражданка возвращается после года за границей: правила пребывания к гражданам не применяются. Пропустите.",
					Ky: "Жаран чет өлкөдө бир жыл болуп кайтып келди: болуу эрежелери жарандарга колдонулбайт. Өткөрүңүз."})},
			{id: "s11", face: 411, f: person("P", "CAN", "TREMBLAY", "LOUIS", "HK482913", "CAN", "1975-10-10", "M", "2030-10-09"),
				earlier: []training.Earlier{e("2026-08-01", in, "MANAS"), e("2026-10-05", out, "TORUGART")},
				key: admit(training.SkillStay, T{
					En: "66 days used of 90 in 180, entering again: 24 days remain. Admit and tell him the last day the booth shows.",
					Ru: "Использовано 66 дней из 90 в 180, снова въезжает: осталось 24 дня. Пропустите и назовите последний день, который показывает будка.",
					Ky: "180 күндөн 90 күндүн 66сы колдонулган, кайра кирип жатат: 24 күн калды. Өткөрүп, кабина көрсөткөн акыркы күндү айтыңыз."})},
		})
}
