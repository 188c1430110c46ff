package main

import (
	"github.com/chekara/chekara/app"
	"github.com/chekara/chekara/app/mrz"
	"github.com/chekara/chekara/app/training"
)

func fraud() training.Pack {
	return build("fraud",
		T{En: "Document fraud and impostors", Ru: "Подделка документов и самозванцы", Ky: "Документти жасалмалоо жана башканын атынан жүргөндөр"},
		T{En: "The face against the page photo, the printed page against the MRZ, altered check digits. About one in seven photos of another person is wrongly accepted: look.",
			Ru: "Лицо против фото в паспорте, страница данных против MRZ, изменённые контрольные цифры. Примерно каждое седьмое фото чужого человека ошибочно принимают: смотрите внимательно.",
			Ky: "Жүз менен паспорттогу сүрөт, маалымат барагы менен MRZ, өзгөртүлгөн текшерүү сандары. Башка адамдын ар жетинчи сүрөтү жаңылыштык менен кабыл алынат: кунт коюп караңыз."},
		nil,
		[]tv{
			{id: "f01", face: 501, pface: 551, f: person("P", "KGZ", "ORUNBAEV", "ADILET", "AC4471092", "KGZ", "1996-03-15", "M", "2032-04-01"),
				key: refer(fImpostor, T{
					En: "Every check is green, yet the face is not the photo's: hair, eyes and face shape differ. A genuine passport in the wrong hands: refer (or refuse, B).",
					Ru: "Все проверки зелёные, но лицо не совпадает с фото: волосы, глаза и форма лица другие. Подлинный паспорт в чужих руках: направьте (или откажите, B).",
					Ky: "Бардык текшерүүлөр жашыл, бирок жүзү сүрөткө окшобойт: чачы, көзү жана жүзүнүн формасы башка. Чыныгы паспорт башка адамдын колунда: жибериңиз (же баш тартыңыз, B)."},
					app.Refuse)},
			{id: "f02", face: 502, f: person("P", "KGZ", "SYDYKOVA", "AIZADA", "AC4471375", "KGZ", "1998-06-06", "F", "2031-06-05"),
				key: admit(training.SkillImpostors, T{
					En: "The same person as the photo, the page agrees with the MRZ. Admit: suspicion without a finding costs travellers time.",
					Ru: "Тот же человек, что на фото, страница совпадает с MRZ. Пропустите: подозрение без оснований стоит путешественникам времени.",
					Ky: "Сүрөттөгү адам ушул, барак MRZ менен дал келет. Өткөрүңүз: негизсиз шектенүү жүргүнчүлөрдүн убактысын алат."})},
			{id: "f03", face: 503, page: training.Page{BirthDate: "1985-04-12"}, f: person("P", "RUS", "PETROV", "SERGEI", "762230418", "RUS", "1989-04-12", "M", "2030-09-01"),
				key: refuse([]string{"B"}, fMismatch, T{
					En: "The page prints 1985 as the birth year, the MRZ says 1989: the page or the MRZ was changed. Refuse (B) or refer for examination.",
					Ru: "На странице год рождения 1985, в MRZ — 1989: изменена страница или MRZ. Отказ (B) или направление на экспертизу.",
					Ky: "Баракта туулган жылы 1985, MRZде 1989: барак же MRZ өзгөртүлгөн. Баш тартыңыз (B) же текшерүүгө жибериңиз."},
					app.Refer)},
			{id: "f04", face: 504, page: training.Page{Surname: "KASYMOV"}, f: person("P", "KGZ", "KASYMOVA", "DINARA", "AC5530274", "KGZ", "1993-01-19", "F", "2031-01-18"),
				key: refer(fMismatch, T{
					En: "The page says KASYMOV, the MRZ KASYMOVA: a substituted data page. Refer for examination (or refuse, B).",
					Ru: "На странице KASYMOV, в MRZ — KASYMOVA: подменённая страница данных. Направьте на экспертизу (или откажите, B).",
					Ky: "Баракта KASYMOV, MRZде KASYMOVA: маалымат барагы алмаштырылган. Текшерүүгө жибериңиз (же баш тартыңыз, B)."},
					app.Refuse)},
			{id: "f05", face: 505, pface: 555, f: person("P", "D", "FISCHER", "ANNA", "C7H2M9P30", "D", "1987-02-28", "F", "2033-12-01"),
				key: refer(fImpostor, T{
					En: "A German passport, valid, not listed — and the face of another woman. Compare the face before the data: refer.",
					Ru: "Немецкий паспорт, действителен, не в списках — и лицо другой женщины. Сначала сравните лицо, потом данные: направьте.",
					Ky: "Германиянын паспорту, жарактуу, тизмеде жок — бирок башка аялдын жүзү. Адегенде жүздү, андан кийин маалыматты салыштырыңыз: жибериңиз."},
					app.Refuse)},
			{id: "f06", face: 506, alter: flipDigit(1, 27), f: person("P", "KAZ", "ZHAKSYLYKOV", "TIMUR", "N30582216", "KAZ", "1990-10-10", "M", "2030-10-09"),
				key: refuse([]string{"B"}, fCheck, T{
					En: "The expiry date's check digit fails: an expiry extended by hand. Refuse (B); keep the document for examination.",
					Ru: "Контрольная цифра срока действия не сходится: срок продлён вручную. Отказ (B); документ — на экспертизу.",
					Ky: "Мөөнөтүнүн текшерүү саны дал келбейт: мөөнөтү кол менен узартылган. Баш тартыңыз (B); документ — текшерүүгө."},
					app.Refer)},
			{id: "f07", face: 507, page: training.Page{Expiry: "2029-05-31"}, f: person("P", "TJK", "NAZAROV", "FIRDAVS", "401277359", "TJK", "1984-07-07", "M", "2025-05-31"),
				key: refuse([]string{"A", "B"}, []training.Finding{training.FindExpired, training.FindDataMismatch}, T{
					En: "The page says valid to 2029; the MRZ says it expired in May 2025. The booth reads the MRZ: expired and tampered. Refuse (A or B).",
					Ru: "На странице срок до 2029 года, в MRZ — истёк в мае 2025. Будка читает MRZ: просрочен и подделан. Отказ (A или B).",
					Ky: "Баракта 2029-жылга чейин деп жазылган, MRZде 2025-жылдын майында бүткөн. Кабина MRZди окуйт: мөөнөтү өткөн жана жасалмаланган. Баш тартыңыз (A же B)."},
					app.Refer)},
			{id: "f08", face: 508, f: person("P", "FRA", "MARTIN", "CLAIRE", "18AB34567", "FRA", "1979-09-14", "F", "2029-09-13"),
				key: admit(training.SkillImpostors, T{
					En: "Older photo, same person: a face changes with the years, its shape and features do not. Admit.",
					Ru: "Фото старше, человек тот же: лицо меняется с годами, но форма и черты — нет. Пропустите.",
					Ky: "Сүрөт эскирээк, адам ошол эле: жүз жылдар менен өзгөрөт, бирок формасы жана белгилери өзгөрбөйт. Өткөрүңүз."})},
			{id: "f09", face: 509, page: training.Page{Number: "AC6610429"}, f: person("P", "KGZ", "ALYMKULOV", "MARAT", "AC6610428", "KGZ", "1986-05-25", "M", "2032-05-24"),
				key: refer(fMismatch, T{
					En: "The page number ends in 429, the MRZ number in 428. One digit is enough: refer for examination (or refuse, B).",
					Ru: "Номер на странице заканчивается на 429, в MRZ — на 428. Одной цифры достаточно: направьте на экспертизу (или откажите, B).",
					Ky: "Баракта номер 429 менен бүтөт, MRZде 428 менен. Бир сан жетиштүү: текшерүүгө жибериңиз (же баш тартыңыз, B)."},
					app.Refuse)},
			{id: "f10", face: 510, format: mrz.TD1, f: person("ID", "KGZ", "TURDUBAEVA", "SAULE", "ID0917733", "KGZ", "2001-11-30", "F", "2031-11-29"),
				key: admit(training.SkillImpostors, T{
					En: "An ID card, the face and the data agree. Admit.",
					Ru: "ID-карта, лицо и данные совпадают. Пропустите.",
					Ky: "ID-карта, жүзү жана маалыматы дал келет. Өткөрүңүз."})},
			{id: "f11", face: 511, pface: 561, f: person("P", "UZB", "TOSHEV", "BOBUR", "FA8821037", "UZB", "1994-04-04", "M", "2033-04-03"),
				key: refer(fImpostor, T{
					En: "Look-alike: similar age and build, but the eyes and the nose are another man's. Refer; ask questions only the holder can answer.",
					Ru: "Похожий человек: тот же возраст и телосложение, но глаза и нос другого мужчины. Направьте; задайте вопросы, на которые ответит только владелец.",
					Ky: "Окшош адам: жашы жана денеси окшош, бирок көзү жана мурду башка эркектики. Жибериңиз; ээси гана жооп бере турган суроолорду бериңиз."},
					app.Refuse)},
		})
}
