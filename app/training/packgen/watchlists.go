package main

import (
	"github.com/chekara/chekara/app"
	"github.com/chekara/chekara/app/training"
)

func confirm(k training.Key) training.Key { k.Hits = "confirm"; return k }

func namesake(k training.Key) training.Key { k.Hits = "false_match"; return k }

func watchlists() training.Pack {
	lists := []string{
		`{"kind":"person","id":"TR-P-001","names":["ИВАНОВ Юрий Петрович"],"birth_date":"1975-03-14","nationalities":["RUS"],"sex":"M","category":"deny_entry","note":"Entry ban until 2029 (training)"}`,
		`{"kind":"person","id":"TR-P-002","names":["ХАСАНОВ Шухрат Ильхомович"],"birth_date":"1982-06-02","nationalities":["UZB"],"sex":"M","category":"deny_exit","note":"Exit ban, court order (training)"}`,
		`{"kind":"person","id":"TR-P-003","names":["ЖУМАБАЕВ Чыңгыз Асанович"],"birth_date":"1988-07-19","nationalities":["KGZ"],"sex":"M","category":"arrest","note":"Wanted, case 2026/041 (training)"}`,
		`{"kind":"person","id":"TR-P-004","names":["ӨМҮРБЕКОВА Айгүл"],"birth_date":"1990-10-03","nationalities":["KGZ"],"sex":"F","category":"watch","note":"Report crossing to HQ (training)"}`,
		`{"kind":"person","id":"TR-P-005","names":["ШАРИПОВ Рустам Алиевич"],"birth_date":"1979-01-27","nationalities":["TJK"],"sex":"M","category":"deny_entry","note":"Entry ban until 2030 (training)"}`,
		`{"kind":"person","id":"TR-P-006","names":["КҮЧҮКОВ Нурбек"],"birth_date":"1993-12-11","nationalities":["KGZ"],"sex":"M","category":"arrest","note":"Wanted, case 2026/107 (training)"}`,
		`{"kind":"document","id":"TR-D-001","issuing_state":"KGZ","document_number":"AC1234567","status":"stolen","note":"Reported stolen in Osh, 2026-09 (training)"}`,
		`{"kind":"document","id":"TR-D-002","issuing_state":"KAZ","document_number":"N12345678","status":"lost","note":"Reported lost, 2026-10 (training)"}`,
		`{"kind":"document","id":"TR-D-003","issuing_state":"UZB","document_number":"FA0012345","status":"revoked"}`,
	}
	return build("watchlists",
		T{En: "Watchlists and transliteration", Ru: "Списки и транслитерация", Ky: "Тизмелер жана транслитерация"},
		T{En: "Listed persons under Latin spellings of Cyrillic and Kyrgyz names, namesakes, stolen, lost and revoked documents.",
			Ru: "Лица из списков под латинскими написаниями кириллических и кыргызских имён, однофамильцы, украденные, утерянные и аннулированные документы.",
			Ky: "Кирилл жана кыргыз аттарынын латынча жазылышы менен тизмедеги адамдар, аттуулар, уурдалган, жоголгон жана жокко чыгарылган документтер."},
		lists,
		[]tv{
			{id: "w01", face: 201, f: person("P", "RUS", "IVANOV", "IURII PETROVICH", "756120334", "RUS", "1975-03-14", "M", "2030-05-20"),
				key: confirm(refuse([]string{"H"}, fListed, T{
					En: "ИВАНОВ Юрий is written IURII in the passport (ICAO transliteration), YURIY elsewhere: same person, same birth date. Confirm the hit; entry ban: refuse, reason H.",
					Ru: "ИВАНОВ Юрий в паспорте записан IURII (транслитерация ИКАО), в других документах YURIY: тот же человек, та же дата рождения. Подтвердите совпадение; запрет въезда: отказ, основание H.",
					Ky: "ИВАНОВ Юрий паспортто IURII деп жазылган (ИКАО транслитерациясы), башка жерде YURIY: ошол эле адам, ошол эле туулган күн. Дал келүүнү ырастаңыз; кирүүгө тыюу: баш тартыңыз, негиз H."}))},
			{id: "w02", face: 202, f: person("P", "KAZ", "IVANOV", "IURII", "N09004112", "KAZ", "1975-03-14", "M", "2032-01-14"),
				key: namesake(admit(training.SkillWatchlists, T{
					En: "A namesake: the same name and birth date, but a Kazakh citizen on a Kazakh passport, while the entry lists a Russian national. Names and birth dates repeat; nationality tells them apart. Resolve the hit as a false match, saying why, then admit.",
					Ru: "Однофамилец: те же имя и дата рождения, но это гражданин Казахстана с казахстанским паспортом, а в списке — гражданин России. Имена и даты повторяются, гражданство различает. Отметьте совпадение как ложное с объяснением и пропустите.",
					Ky: "Аттуу: аты жана туулган күнү бирдей, бирок бул Казакстандын паспорту бар Казакстандын жараны, ал эми тизмеде Орусиянын жараны. Аттар жана даталар кайталанат, жарандык айырмалайт. Дал келүүнү себебин жазып жалган деп белгилеп, өткөрүңүз."}))},
			{id: "w03", face: 203, dir: app.Exit, f: person("P", "UZB", "KHASANOV", "SHUKHRAT ILKHOMOVICH", "FA4410926", "UZB", "1982-06-02", "M", "2031-07-07"),
				earlier: []training.Earlier{e("2026-11-20", app.Entry, "DOSTUK")},
				key: confirm(refer(fListed, T{
					En: "ХАСАНОВ Шухрат is KHASANOV SHUKHRAT in Latin: an exit ban by court order. Confirm and refer him to the duty officer; he may not leave.",
					Ru: "ХАСАНОВ Шухрат по-латински KHASANOV SHUKHRAT: запрет выезда по решению суда. Подтвердите и направьте к дежурному; выезжать ему нельзя.",
					Ky: "ХАСАНОВ Шухрат латынча KHASANOV SHUKHRAT: соттун чечими менен чыгууга тыюу. Ырастап, нөөмөттөгү кызматкерге жибериңиз; ал чыга албайт."},
					app.Refuse))},
			{id: "w04", face: 204, f: person("P", "KGZ", "ZHUMABAEV", "CHYNGYZ ASANOVICH", "AC6620194", "KGZ", "1988-07-19", "M", "2032-03-03"),
				key: confirm(refer(fListed, T{
					En: "ЖУМАБАЕВ Чыңгыз: Ж is ZH or DZH, Ң is NG — ZHUMABAEV CHYNGYZ is him, same birth date. Wanted: a citizen is not refused entry, he is held: refer to the police at once.",
					Ru: "ЖУМАБАЕВ Чыңгыз: Ж — это ZH или DZH, Ң — NG; ZHUMABAEV CHYNGYZ — он, дата рождения та же. Розыск: гражданину во въезде не отказывают, его задерживают — немедленно направьте к полиции.",
					Ky: "ЖУМАБАЕВ Чыңгыз: Ж — ZH же DZH, Ң — NG; ZHUMABAEV CHYNGYZ — ошол, туулган күнү бирдей. Издөөдө: жаранга кирүүдөн баш тартылбайт, ал кармалат — дароо полицияга жибериңиз."}))},
			{id: "w05", face: 205, f: person("P", "KGZ", "OMURBEKOVA", "AIGUL", "AC7781203", "KGZ", "1990-10-03", "F", "2030-10-02"),
				key: confirm(admit(training.SkillWatchlists, T{
					En: "ӨМҮРБЕКОВА Айгүл: Ө and Ү become O and U. A watch entry asks only that the crossing be reported: confirm the hit, then admit.",
					Ru: "ӨМҮРБЕКОВА Айгүл: Ө и Ү пишутся O и U. Отметка «наблюдение» требует только сообщить о пересечении: подтвердите совпадение и пропустите.",
					Ky: "ӨМҮРБЕКОВА Айгүл: Ө жана Ү — O жана U. «Байкоо» белгиси чек арадан өткөнүн билдирүүнү гана талап кылат: ырастап, өткөрүңүз."}))},
			{id: "w06", face: 206, f: person("P", "TJK", "SHARIPOV", "RUSTAM ALIEVICH", "400118273", "TJK", "1979-01-27", "M", "2029-12-31"),
				key: confirm(refuse([]string{"H"}, fListed, T{
					En: "ШАРИПОВ Рустам, born 27 January 1979, Tajik: the listed person. Entry ban: confirm and refuse, reason H.",
					Ru: "ШАРИПОВ Рустам, 27 января 1979 года, Таджикистан: это лицо из списка. Запрет въезда: подтвердите и откажите, основание H.",
					Ky: "ШАРИПОВ Рустам, 1979-жылдын 27-январы, Тажикстан: тизмедеги адам. Кирүүгө тыюу: ырастап, баш тартыңыз, негиз H."}))},
			{id: "w07", face: 207, f: person("P", "KGZ", "ASANOVA", "GULNARA", "AC1234567", "KGZ", "1986-04-22", "F", "2031-09-09"),
				key: confirm(refuse([]string{"A", "B"}, fStolen, T{
					En: "The name is clean but the passport number is listed stolen. Whoever holds it, a stolen passport is not a valid travel document: confirm, refuse (A), keep the document.",
					Ru: "Имя чистое, но номер паспорта в списке украденных. Кто бы его ни предъявил, украденный паспорт не является действительным документом: подтвердите, откажите (A), изымите документ.",
					Ky: "Аты таза, бирок паспорттун номери уурдалгандар тизмесинде. Ким көрсөтпөсүн, уурдалган паспорт жарактуу документ эмес: ырастап, баш тартыңыз (A), документти алып калыңыз."}))},
			{id: "w08", face: 208, f: person("P", "KAZ", "BEKOV", "ARMAN", "N12345678", "KAZ", "1984-02-14", "M", "2030-02-13"),
				key: confirm(refuse([]string{"A", "B"}, fStolen, T{
					En: "The passport was reported lost: a found or sold passport travels under another face. Confirm and refuse (A).",
					Ru: "Паспорт заявлен утерянным: найденный или проданный паспорт путешествует с чужим лицом. Подтвердите и откажите (A).",
					Ky: "Паспорт жоголду деп билдирилген: табылган же сатылган паспорт башка адам менен жүрөт. Ырастап, баш тартыңыз (A)."}))},
			{id: "w09", face: 209, f: person("P", "UZB", "YULDASHEVA", "MADINA", "FA0012345", "UZB", "1997-05-05", "F", "2031-05-04"),
				key: confirm(refuse([]string{"A"}, fStolen, T{
					En: "The issuing state revoked this passport. It is no longer a travel document: confirm and refuse, reason A.",
					Ru: "Государство выдачи аннулировало паспорт. Он больше не документ для поездок: подтвердите и откажите, основание A.",
					Ky: "Берген мамлекет бул паспортту жокко чыгарган. Ал мындан ары жол жүрүү документи эмес: ырастап, баш тартыңыз, негиз A."}))},
			{id: "w10", face: 210, f: person("P", "KGZ", "KUCHUKOV", "NURBEK", "AC8830621", "KGZ", "1993-12-11", "M", "2033-01-20"),
				key: confirm(refer(fListed, T{
					En: "КҮЧҮКОВ: Ү is U, Ч is CH — KUCHUKOV NURBEK, born 11 December 1993: the wanted man. Refer to the police; do not let him see the screen.",
					Ru: "КҮЧҮКОВ: Ү — U, Ч — CH; KUCHUKOV NURBEK, 11 декабря 1993 года — разыскиваемый. Направьте к полиции; не показывайте ему экран.",
					Ky: "КҮЧҮКОВ: Ү — U, Ч — CH; KUCHUKOV NURBEK, 1993-жылдын 11-декабры — изделип жаткан адам. Полицияга жибериңиз; экранды ага көрсөтпөңүз."}))},
			{id: "w11", face: 211, f: person("P", "TUR", "YILMAZ", "MEHMET", "U20381745", "TUR", "1981-06-06", "M", "2032-08-08"),
				key: admit(training.SkillWatchlists, T{
					En: "No hit: a Turkish visitor under the visa-free rule. Admit; a clean screen is also an answer.",
					Ru: "Совпадений нет: гость из Турции по безвизовому правилу. Пропустите; чистый экран — тоже ответ.",
					Ky: "Дал келүү жок: визасыз эреже боюнча Түркиядан келген конок. Өткөрүңүз; таза экран да жооп."})},
		})
}
