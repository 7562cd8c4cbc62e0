"""Default texts of the accessibility statement and the personal-data information clause, for the organisers to
complete in the admin. Bracketed parts ([…]) are data only the organiser knows. An existing page is never
overwritten."""

from django.db import migrations

ACCESSIBILITY_PL = """\
Związek Miast Polskich zobowiązuje się zapewnić dostępność cyfrową serwisu konkursu „Samorządowy Lider Zarządzania – Razem dla Rozwoju” zgodnie z ustawą z dnia 4 kwietnia 2019 r. o dostępności cyfrowej stron internetowych i aplikacji mobilnych podmiotów publicznych.

Deklaracja dostępności dotyczy serwisu internetowego konkursu „Samorządowy Lider Zarządzania – Razem dla Rozwoju”.

## Dane deklaracji

- Data publikacji strony internetowej: [RRRR-MM-DD].
- Data ostatniej istotnej aktualizacji: [RRRR-MM-DD].

## Stan dostępności cyfrowej

Strona internetowa jest częściowo zgodna z ustawą z dnia 4 kwietnia 2019 r. o dostępności cyfrowej stron internetowych i aplikacji mobilnych podmiotów publicznych z powodu niezgodności lub wyłączeń wymienionych poniżej.

Niezgodności:
- Zdjęcia i prezentacje przekazane przez uczestników konkursu i opublikowane na stronach laureatów mogą nie mieć pełnego opisu alternatywnego, a prezentacje mogą nie być dokumentami dostępnymi cyfrowo.

Wyłączenia:
- Treści pochodzące od stron trzecich, które nie są finansowane ani wytworzone przez Związek Miast Polskich ani nie znajdują się pod jego kontrolą.
- Mapa województw na stronie wyników: te same dane są podane obok mapy w tabeli.

## Przygotowanie deklaracji dostępności

- Deklarację sporządzono dnia: [RRRR-MM-DD].
- Deklarację ostatnio poddano przeglądowi i aktualizacji dnia: [RRRR-MM-DD].

Deklarację sporządzono na podstawie samooceny przeprowadzonej przez Związek Miast Polskich. Strony serwisu są dodatkowo sprawdzane automatycznie (axe-core) przy każdej zmianie oprogramowania.

## Skróty klawiaturowe

Serwis nie definiuje własnych skrótów klawiaturowych. Na początku każdej strony jest łącze „Przejdź do treści głównej”. Wszystkie funkcje działają bez JavaScriptu i z samej klawiatury.

## Informacje zwrotne i dane kontaktowe

W przypadku problemów z dostępnością serwisu prosimy o kontakt. Osobą kontaktową jest [imię i nazwisko], adres e-mail: [adres e-mail], telefon: [numer telefonu]. Tą samą drogą można składać wnioski o udostępnienie informacji niedostępnej oraz żądania zapewnienia dostępności cyfrowej.

## Obsługa wniosków i skarg związanych z dostępnością

Każdy ma prawo do wystąpienia z żądaniem zapewnienia dostępności cyfrowej strony internetowej, aplikacji mobilnej lub jakiegoś ich elementu. Można także zażądać udostępnienia informacji za pomocą alternatywnego sposobu dostępu, na przykład przez odczytanie niedostępnego cyfrowo dokumentu lub opisanie zawartości zdjęcia. Żądanie powinno zawierać dane osoby zgłaszającej żądanie, wskazanie, o którą stronę internetową lub jej element chodzi, oraz sposób kontaktu. Jeżeli osoba żądająca zgłasza potrzebę otrzymania informacji za pomocą alternatywnego sposobu dostępu, powinna także określić dogodny dla niej sposób przedstawienia tej informacji.

Żądanie realizujemy niezwłocznie, nie później niż w ciągu 7 dni od dnia jego wystąpienia. Jeżeli dotrzymanie tego terminu nie jest możliwe, niezwłocznie informujemy, kiedy realizacja żądania będzie możliwa, przy czym termin ten nie może być dłuższy niż 2 miesiące od dnia wystąpienia z żądaniem. Jeżeli zapewnienie dostępności cyfrowej nie jest możliwe, możemy zaproponować alternatywny sposób dostępu do informacji.

W przypadku odmowy realizacji żądania zapewnienia dostępności lub alternatywnego sposobu dostępu do informacji wnoszący żądanie może złożyć skargę w sprawie zapewnienia dostępności cyfrowej strony internetowej lub jej elementu. Po wyczerpaniu tej procedury można także złożyć wniosek do Rzecznika Praw Obywatelskich: https://bip.brpo.gov.pl/

## Dostępność architektoniczna

Biuro Związku Miast Polskich: [adres siedziby]. [Opis wejścia do budynku, pochylni lub windy, toalety dostosowanej do potrzeb osób z niepełnosprawnościami i miejsc parkingowych dla osób z niepełnosprawnościami.]

Do budynku i wszystkich jego pomieszczeń można wejść z psem asystującym i psem przewodnikiem. [Informacja o możliwości skorzystania z tłumacza polskiego języka migowego.]

## Aplikacje mobilne

Konkurs nie ma aplikacji mobilnej.
"""

ACCESSIBILITY_EN = """\
The Association of Polish Cities is committed to making the website of the competition “Samorządowy Lider Zarządzania – Razem dla Rozwoju” accessible in accordance with the Polish Act of 4 April 2019 on the digital accessibility of websites and mobile applications of public bodies.

This accessibility statement applies to the website of the competition “Samorządowy Lider Zarządzania – Razem dla Rozwoju”.

## Dates of the statement

- Website published on: [YYYY-MM-DD].
- Last substantial update: [YYYY-MM-DD].

## Compliance status

This website is partially compliant with the Act of 4 April 2019 because of the non-compliances and exemptions listed below.

Non-compliant content:
- Photos and presentations supplied by the competitors and published on the laureate pages may lack a full text alternative, and presentations may not be accessible documents.

Exempt content:
- Third-party content that is neither funded nor developed by the Association of Polish Cities nor under its control.
- The map of voivodeships on the results page: the same figures are given in a table beside the map.

## Preparation of this statement

- Statement prepared on: [YYYY-MM-DD].
- Last reviewed and updated on: [YYYY-MM-DD].

This statement was prepared on the basis of a self-assessment by the Association of Polish Cities. The website's pages are also checked automatically (axe-core) whenever its software changes.

## Keyboard shortcuts

The website defines no keyboard shortcuts of its own. Every page starts with a “Skip to main content” link. Everything works without JavaScript and with the keyboard alone.

## Feedback and contact information

If you find a problem with the accessibility of this website, please contact [name], e-mail: [e-mail address], telephone: [telephone number]. The same contact is used for requests for inaccessible information and for demands to make content accessible.

## Enforcement procedure

Everyone has the right to demand that a website, a mobile application or any part of them be made accessible, or that information be provided in an alternative accessible form, for example by reading out a document that is not accessible or by describing a photo. A demand should give the name of the person making it, the page or part of a page concerned and how to reply; if an alternative form is wanted, it should say which.

We deal with a demand without delay and within 7 days at the latest. If that is not possible, we say at once when it will be done, no later than 2 months after the demand. If the content cannot be made accessible, we may offer an alternative way of obtaining the information.

If a demand is refused, the person may lodge a complaint about the accessibility of the website. After that procedure, they may apply to the Polish Commissioner for Human Rights (Rzecznik Praw Obywatelskich): https://bip.brpo.gov.pl/

## Architectural accessibility

Office of the Association of Polish Cities: [address]. [Description of the entrance, ramp or lift, accessible toilet and parking places for people with disabilities.]

Assistance dogs and guide dogs may enter the building and all its rooms. [Information about Polish Sign Language interpreting.]

## Mobile applications

The competition has no mobile application.
"""

PRIVACY_PL = """\
Zgodnie z art. 13 ust. 1 i 2 rozporządzenia Parlamentu Europejskiego i Rady (UE) 2016/679 z dnia 27 kwietnia 2016 r. w sprawie ochrony osób fizycznych w związku z przetwarzaniem danych osobowych i w sprawie swobodnego przepływu takich danych oraz uchylenia dyrektywy 95/46/WE (ogólne rozporządzenie o ochronie danych, dalej: RODO) informujemy, że:

## Administrator danych

Administratorem Pani/Pana danych osobowych jest Związek Miast Polskich, [adres siedziby], e-mail: [adres e-mail administratora].

## Inspektor ochrony danych

W sprawach dotyczących przetwarzania danych osobowych można kontaktować się z inspektorem ochrony danych: [adres e-mail inspektora ochrony danych].

## Cele i podstawy prawne przetwarzania

- założenie i prowadzenie konta w serwisie, przygotowanie, złożenie i ocena formalna wniosku, kontakt w sprawie wniosku i ogłoszenie wyników – art. 6 ust. 1 lit. b RODO (działania na żądanie osoby przystępującej do konkursu na zasadach regulaminu) oraz art. 6 ust. 1 lit. f RODO (prawnie uzasadniony interes administratora, jakim jest przeprowadzenie konkursu, w którym uczestniczą jednostki samorządu terytorialnego reprezentowane przez osoby fizyczne);
- udział w pracach Komisji Konkursowej (zaproszenie, oświadczenie o bezstronności, konflikty interesów, oceny) – art. 6 ust. 1 lit. b i f RODO;
- zapewnienie bezpieczeństwa serwisu i rozliczalności (dziennik zdarzeń, który przechowuje identyfikatory kont, bez adresów e-mail i nazwisk) – art. 6 ust. 1 lit. f RODO;
- wysyłanie wiadomości o konkursie osobom, które je zamówiły – art. 6 ust. 1 lit. a RODO (zgoda, którą można wycofać w każdej chwili łączem w każdej wiadomości);
- wypełnienie obowiązków prawnych, w tym archiwalnych i rachunkowych związanych z nagrodami – art. 6 ust. 1 lit. c RODO.

Na stronach wyników publikujemy nazwy partnerstw i jednostek samorządu terytorialnego, tytuły i opisy projektów oraz uzasadnienia werdyktu, bez danych osób.

## Odbiorcy danych

Dane mogą być przekazywane podmiotom przetwarzającym je na zlecenie administratora (dostawcy usług hostingu, przechowywania plików i poczty elektronicznej) wyłącznie w zakresie niezbędnym do działania serwisu. Członkowie Komisji Konkursowej otrzymują treść wniosków pozbawioną danych identyfikujących wnioskodawców.

## Przekazywanie danych do państw trzecich

Dane nie są przekazywane do państw trzecich ani organizacji międzynarodowych.

## Okres przechowywania danych

Dane przechowujemy przez czas trwania edycji konkursu, a następnie przez okres archiwizacji określony dla danej edycji, nie dłużej niż wymagają tego przepisy prawa. Dane przetwarzane na podstawie zgody przechowujemy do czasu jej wycofania. Na żądanie konto jest anonimizowane.

## Prawa osoby, której dane dotyczą

Przysługuje Pani/Panu prawo dostępu do swoich danych (art. 15 RODO), ich sprostowania (art. 16 RODO), usunięcia (art. 17 RODO), ograniczenia przetwarzania (art. 18 RODO), przenoszenia danych (art. 20 RODO) oraz wniesienia sprzeciwu wobec przetwarzania opartego na prawnie uzasadnionym interesie (art. 21 RODO). Zgodę można wycofać w dowolnym momencie bez wpływu na zgodność z prawem przetwarzania, którego dokonano na podstawie zgody przed jej wycofaniem.

## Prawo wniesienia skargi

Przysługuje Pani/Panu prawo wniesienia skargi do Prezesa Urzędu Ochrony Danych Osobowych (ul. Stawki 2, 00-193 Warszawa), jeżeli uzna Pani/Pan, że przetwarzanie danych narusza przepisy RODO.

## Informacja o wymogu podania danych

Podanie danych jest dobrowolne, ale niezbędne do założenia konta, złożenia wniosku lub udziału w pracach Komisji Konkursowej. Bez nich udział w konkursie nie jest możliwy.

## Zautomatyzowane podejmowanie decyzji

Dane nie służą do zautomatyzowanego podejmowania decyzji, w tym profilowania. O wynikach konkursu rozstrzyga Komisja Konkursowa.
"""

PRIVACY_EN = """\
Under Article 13(1) and (2) of Regulation (EU) 2016/679 of the European Parliament and of the Council of 27 April 2016 (the General Data Protection Regulation, GDPR) we inform you that:

## Controller

The controller of your personal data is the Association of Polish Cities (Związek Miast Polskich), [address], e-mail: [controller's e-mail address].

## Data protection officer

You can contact our data protection officer about the processing of your personal data at: [data protection officer's e-mail address].

## Purposes and legal bases

- creating and keeping your account, preparing, submitting and reviewing an application, contacting you about it and announcing the results – Article 6(1)(b) GDPR (steps taken at the request of a person entering the competition under its rules) and Article 6(1)(f) GDPR (our legitimate interest in running a competition whose entrants are local governments represented by natural persons);
- taking part in the work of the competition committee (invitation, impartiality declaration, conflicts of interest, scores) – Article 6(1)(b) and (f) GDPR;
- the security of the website and accountability (an audit trail that holds account numbers, not e-mail addresses or names) – Article 6(1)(f) GDPR;
- sending news of the competition to people who asked for it – Article 6(1)(a) GDPR (consent, which you can withdraw at any time with the link in every message);
- meeting legal obligations, including archiving and accounting for prizes – Article 6(1)(c) GDPR.

The results pages show the names of partnerships and local governments, project titles and summaries and the jury's citations, with no data about people.

## Recipients

Your data may be passed to processors working on our behalf (hosting, file storage and e-mail providers) only as far as the website needs. Members of the competition committee receive the content of applications without the data that identifies the applicants.

## Transfers outside the EEA

Your data is not transferred to third countries or international organisations.

## Retention

We keep your data while the edition of the competition runs and then for the archiving period set for that edition, no longer than the law requires. Data processed on the basis of consent is kept until the consent is withdrawn. At your request your account is anonymised.

## Your rights

You have the right of access to your data (Article 15 GDPR), to rectification (Article 16), erasure (Article 17), restriction of processing (Article 18), data portability (Article 20) and to object to processing based on our legitimate interest (Article 21). You may withdraw consent at any time without affecting the lawfulness of processing based on consent before its withdrawal.

## Right to lodge a complaint

You have the right to lodge a complaint with the President of the Personal Data Protection Office (Prezes Urzędu Ochrony Danych Osobowych, ul. Stawki 2, 00-193 Warszawa) if you consider that the processing of your data infringes the GDPR.

## Whether you must provide data

Providing data is voluntary but necessary to create an account, submit an application or take part in the work of the competition committee; without it you cannot take part in the competition.

## Automated decision-making

Your data is not used for automated decision-making, including profiling. The competition committee decides the results.
"""

PAGES = [
    {
        "slug": "deklaracja-dostepnosci",
        "title_pl": "Deklaracja dostępności",
        "title_en": "Accessibility statement",
        "body_pl": ACCESSIBILITY_PL,
        "body_en": ACCESSIBILITY_EN,
    },
    {
        "slug": "ochrona-danych",
        "title_pl": "Klauzula informacyjna o przetwarzaniu danych osobowych",
        "title_en": "Information on the processing of personal data",
        "body_pl": PRIVACY_PL,
        "body_en": PRIVACY_EN,
    },
]


def seed(apps, schema_editor):
    InfoPage = apps.get_model("contest", "InfoPage")
    for page in PAGES:
        # Stripped as the admin's form strips them, so a first save changes only what the organiser changed.
        InfoPage.objects.get_or_create(
            slug=page["slug"], defaults={key: value.strip() for key, value in page.items()}
        )


class Migration(migrations.Migration):
    dependencies = [("contest", "0007_info_pages")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
