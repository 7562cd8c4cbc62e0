"""Demo applications: partnerships with real TERC units, Polish content, small real PDF and JPEG files, every status."""

import datetime
import hashlib
import io

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils import timezone

from contest.demo import FINISHED_YEARS, ensure_user
from contest.models import TerritorialUnit

from . import declarations as declaration_texts
from . import demo_media, services
from .models import Application, ApplicationVersion, Attachment, Declaration, Partner, ResultIndicator, Status

SEED_CONTEXT = ("editions", "organiser")
APPLICANTS = 6
BENCH_TITLE = "Projekt partnerski nr"

# (title, partnership, legal form, category index, leader + partner TERC codes, other partner or None, topic words)
PROJECTS = [
    (
        "Wspólny bilet i autobusy dla Doliny Bobru",
        "Partnerstwo Doliny Bobru",
        "porozumienie międzygminne",
        0,
        ["0201011", "0201022", "0201043"],
        None,
        ("transport publiczny", "wykluczenie komunikacyjne mieszkańców wsi", "liczba kursów dziennie", "4", "38"),
    ),
    (
        "Centrum Usług Wspólnych dla szkół powiatu kłodzkiego",
        "Porozumienie Ziemi Kłodzkiej",
        "porozumienie międzygminne",
        0,
        ["0202", "0208021", "0208072", "0208041"],
        None,
        (
            "obsługa księgowa szkół",
            "rozproszona i kosztowna administracja oświatowa",
            "koszt obsługi jednej szkoły (tys. zł)",
            "48",
            "31",
        ),
    ),
    (
        "Zielone Podhale – wymiana źródeł ciepła",
        "Stowarzyszenie Gmin Podhala",
        "stowarzyszenie gmin",
        1,
        ["1211011", "1211092", "1211142"],
        ("ngo", "Fundacja Czyste Powietrze Podhala", "", "", "0000412345"),
        ("jakość powietrza", "smog w sezonie grzewczym", "liczba wymienionych kotłów", "0", "1 240"),
    ),
    (
        "Metropolitalny rower Trójmiasta",
        "Obszar Metropolitalny Gdańsk Gdynia Sopot",
        "stowarzyszenie",
        2,
        ["2261011", "2262011", "2264011", "2204011"],
        None,
        ("rower miejski", "korki i brak spójnej sieci dróg rowerowych", "liczba wypożyczeń rocznie", "0", "2,1 mln"),
    ),
    (
        "Lubelski Obszar Funkcjonalny – wspólne planowanie przestrzeni",
        "Partnerstwo LOF",
        "porozumienie",
        2,
        ["0663011", "0617011", "0609112", "0609072"],
        ("university", "Uniwersytet Marii Curie-Skłodowskiej w Lublinie", "7120104651", "000001353", ""),
        ("planowanie przestrzenne", "rozlewanie się zabudowy", "liczba wspólnych studiów", "0", "3"),
    ),
    (
        "Rzeszowska sieć opieki nad seniorami",
        "Partnerstwo ROF Senior",
        "porozumienie międzygminne",
        1,
        ["1863011", "1816033", "1816143"],
        ("ngo", "Stowarzyszenie Pomocy Seniorom „Razem”", "", "", "0000267123"),
        (
            "opieka nad seniorami",
            "samotność i brak usług opiekuńczych",
            "liczba seniorów objętych opieką",
            "120",
            "640",
        ),
    ),
    (
        "Słupski klaster energii odnawialnej",
        "Słupski Klaster Energii",
        "porozumienie klastrowe",
        1,
        ["2263011", "2212062", "2212011", "2212102"],
        ("business", "Energa Słupsk Sp. z o.o.", "8390002457", "", ""),
        (
            "energia odnawialna",
            "wysokie koszty energii w budynkach publicznych",
            "moc instalacji PV (MW)",
            "0,4",
            "6,8",
        ),
    ),
    (
        "Mazurska sieć przedszkoli wiejskich",
        "Partnerstwo Ełckie",
        "porozumienie międzygminne",
        0,
        ["2805011", "2805022", "2805032"],
        None,
        (
            "wychowanie przedszkolne",
            "brak miejsc w przedszkolach na wsi",
            "odsetek dzieci w przedszkolach (%)",
            "61",
            "92",
        ),
    ),
    (
        "Wspólna gospodarka odpadami Ziemi Lubuskiej",
        "Związek Celowy Gmin Ziemi Lubuskiej",
        "związek międzygminny",
        0,
        ["0861011", "0801032", "0801022"],
        None,
        ("gospodarka odpadami", "niski poziom recyklingu", "poziom recyklingu (%)", "27", "56"),
    ),
    (
        "Opolskie Centrum Cyfrowych Usług",
        "Aglomeracja Opolska",
        "stowarzyszenie",
        2,
        ["1661011", "1609032", "1609042"],
        ("business", "Opolski Park Naukowo-Technologiczny Sp. z o.o.", "7543074870", "", ""),
        (
            "e-usługi",
            "załatwianie spraw wymaga wizyt w urzędzie",
            "liczba spraw załatwionych online",
            "2 100",
            "48 000",
        ),
    ),
    (
        "Tatrzańska karta mieszkańca",
        "Partnerstwo Tatrzańskie",
        "porozumienie międzygminne",
        1,
        ["1217011", "1217052", "1217042", "1217022"],
        ("ngo", "Tatrzańska Izba Gospodarcza", "", "", "0000098765"),
        (
            "turystyka i usługi dla mieszkańców",
            "przeciążenie usług w sezonie turystycznym",
            "liczba wydanych kart",
            "0",
            "21 500",
        ),
    ),
    (
        "Świdnickie Centrum Integracji Społecznej",
        "Partnerstwo Ziemi Świdnickiej",
        "porozumienie",
        1,
        ["0219011", "0219072", "0219"],
        ("ngo", "Fundacja Aktywizacja", "5272525995", "", ""),
        ("integracja społeczna", "długotrwałe bezrobocie", "liczba osób, które podjęły pracę", "0", "143"),
    ),
]
PROJECTS_2027 = [
    (
        "Gdańska sieć punktów klimatycznych",
        "Partnerstwo Pruszcz–Kolbudy",
        "porozumienie",
        1,
        ["2204011", "2204032", "2204042"],
        None,
        ("adaptacja do zmian klimatu", "upały i podtopienia", "liczba punktów", "0", "12"),
    ),
    (
        "Wspólny transport na żądanie w gminach opolskich",
        "Partnerstwo Opolskie",
        "porozumienie",
        0,
        ["1609032", "1609042"],
        None,
        ("transport na żądanie", "brak kursów poza godzinami szczytu", "liczba przejazdów", "0", "9 400"),
    ),
    (
        "Cyfrowa szkoła Podhala",
        "Partnerstwo Edukacyjne Podhala",
        "porozumienie",
        0,
        ["1211011", "1211142"],
        None,
        ("edukacja cyfrowa", "niskie kompetencje cyfrowe uczniów", "liczba przeszkolonych nauczycieli", "0", "220"),
    ),
    (
        "Rzeszowski program retencji wody",
        "Partnerstwo Wodne ROF",
        "porozumienie",
        1,
        ["1863011", "1816143"],
        ("university", "Politechnika Rzeszowska", "8130006108", "000001621", ""),
        ("retencja wody", "susza i gwałtowne opady", "pojemność zbiorników (m³)", "0", "18 000"),
    ),
    (
        "Słupski program mieszkań wspomaganych",
        "Partnerstwo Słupskie",
        "porozumienie",
        1,
        ["2263011", "2212062"],
        None,
        ("mieszkania wspomagane", "brak mieszkań dla osób z niepełnosprawnościami", "liczba mieszkań", "0", "16"),
    ),
]
PROJECTS_2025 = [
    (
        "Lubelska wspólna komunikacja miejska",
        "Partnerstwo Komunikacyjne LOF",
        "porozumienie",
        2,
        ["0663011", "0617011"],
        None,
        ("komunikacja miejska", "brak wspólnego biletu", "liczba pasażerów", "0", "4,2 mln"),
    ),
    (
        "Wspólne zakupy energii gmin kłodzkich",
        "Grupa Zakupowa Ziemi Kłodzkiej",
        "porozumienie",
        0,
        ["0208021", "0208072"],
        None,
        ("zakupy energii", "wysokie ceny energii", "oszczędność (tys. zł)", "0", "870"),
    ),
    (
        "Ełcki program profilaktyki zdrowotnej",
        "Partnerstwo Zdrowe Mazury",
        "porozumienie",
        1,
        ["2805011", "2805022"],
        ("ngo", "Stowarzyszenie Zdrowie Mazur", "", "", "0000312456"),
        ("profilaktyka zdrowotna", "późne wykrywanie chorób", "liczba badań", "300", "4 100"),
    ),
    (
        "Gorzowskie centrum usług społecznych",
        "Partnerstwo Gorzowskie",
        "porozumienie",
        1,
        ["0861011", "0801022"],
        None,
        ("usługi społeczne", "rozproszone usługi", "liczba usług", "3", "11"),
    ),
    (
        "Wspólne centrum zarządzania kryzysowego Ziemi Nyskiej",
        "Partnerstwo Ziemi Nyskiej",
        "porozumienie międzygminne",
        0,
        ["1607053", "1607", "1607063", "1607073"],
        None,
        (
            "zarządzanie kryzysowe",
            "brak wspólnego systemu ostrzegania przed powodzią",
            "czas powiadomienia mieszkańców (godz.)",
            "6",
            "0,5",
        ),
    ),
    (
        "Kaszubska sieć dziennych domów seniora",
        "Partnerstwo Kartuskie",
        "porozumienie",
        1,
        ["2205023", "2205", "2205083", "2205042"],
        ("ngo", "Kaszubskie Stowarzyszenie Seniorów „Złoty Wiek”", "", "", "0000387211"),
        (
            "opieka dzienna nad seniorami",
            "samotność starszych mieszkańców wsi",
            "liczba miejsc w domach seniora",
            "25",
            "160",
        ),
    ),
    (
        "Krośnieńskie laboratoria STEM dla szkół",
        "Partnerstwo Edukacyjne Krosna",
        "porozumienie",
        1,
        ["1861011", "1807", "1807072", "1807052"],
        ("university", "Państwowa Akademia Nauk Stosowanych w Krośnie", "6842361635", "370440488", ""),
        (
            "edukacja przyrodnicza i techniczna",
            "brak pracowni w małych szkołach",
            "liczba uczniów korzystających z laboratoriów",
            "0",
            "3 800",
        ),
    ),
]
# The edition before: ten partnerships of every kind of unit, each led from another voivodeship.
PROJECTS_2024 = [
    (
        "Kolej aglomeracyjna dla dojazdów do pracy w regionie łódzkim",
        "Łódzki Obszar Metropolitalny",
        "porozumienie",
        2,
        ["1061011", "10", "1020031", "1008021", "1006073"],
        None,
        (
            "kolej aglomeracyjna",
            "długie dojazdy samochodem do pracy w Łodzi",
            "liczba pasażerów dziennie",
            "9 000",
            "26 500",
        ),
    ),
    (
        "Wspólny system informacji przestrzennej Aglomeracji Kalisko-Ostrowskiej",
        "Aglomeracja Kalisko-Ostrowska",
        "stowarzyszenie",
        2,
        ["3061011", "3017", "3017011", "3017023"],
        ("university", "Uniwersytet im. Adama Mickiewicza w Poznaniu", "7770006350", "000001293", ""),
        (
            "planowanie przestrzenne",
            "niespójne plany miejscowe sąsiadujących gmin",
            "liczba gmin w jednym geoportalu",
            "2",
            "13",
        ),
    ),
    (
        "Czyste powietrze Subregionu Zachodniego – wspólny program termomodernizacji",
        "Porozumienie Rybnickie",
        "porozumienie międzygminne",
        1,
        ["2473011", "2479011", "2412013", "2412022"],
        ("business", "Przedsiębiorstwo Energetyki Cieplnej w Rybniku Sp. z o.o.", "6420001446", "", ""),
        (
            "termomodernizacja domów",
            "smog z pieców węglowych",
            "liczba zmodernizowanych domów",
            "150",
            "2 300",
        ),
    ),
    (
        "Białostocka sieć żłobków gminnych",
        "Białostocki Obszar Funkcjonalny",
        "porozumienie",
        0,
        ["2061011", "2002133", "2002013", "2002052"],
        None,
        ("opieka nad małymi dziećmi", "brak miejsc w żłobkach poza Białymstokiem", "liczba miejsc", "120", "610"),
    ),
    (
        "Retencja wód opadowych na Pomorzu Zachodnim",
        "Szczeciński Obszar Metropolitalny",
        "stowarzyszenie",
        1,
        ["3262011", "3211043", "3211012", "3211022"],
        ("university", "Zachodniopomorski Uniwersytet Technologiczny w Szczecinie", "8522575324", "320588161", ""),
        (
            "gospodarka wodami opadowymi",
            "podtopienia po nawalnych deszczach",
            "pojemność retencyjna (m³)",
            "2 000",
            "41 000",
        ),
    ),
    (
        "Świętokrzyskie Centrum Kształcenia Zawodowego",
        "Partnerstwo Kieleckie",
        "porozumienie",
        1,
        ["2604", "2661011", "2604092", "2604033"],
        ("business", "Świętokrzyska Izba Rzemiosła i Przedsiębiorczości", "6570130530", "", ""),
        (
            "kształcenie zawodowe",
            "niedopasowanie szkół do potrzeb pracodawców",
            "liczba uczniów na praktykach u pracodawców",
            "80",
            "540",
        ),
    ),
    (
        "Cyfrowy urząd gmin powiatu toruńskiego",
        "Partnerstwo Powiatu Toruńskiego",
        "porozumienie",
        0,
        ["0415", "0415011", "0415042", "0415072"],
        None,
        ("e-usługi", "kolejki w urzędach i papierowe wnioski", "odsetek spraw załatwianych online (%)", "7", "58"),
    ),
    (
        "Teleopieka dla seniorów Ziemi Płockiej",
        "Partnerstwo Płockie",
        "porozumienie",
        1,
        ["1462011", "1419", "1419132", "1419063"],
        ("ngo", "Stowarzyszenie „Aktywni Seniorzy Mazowsza”", "", "", "0000456789"),
        ("teleopieka", "samotnie mieszkający seniorzy bez pomocy w nagłych sytuacjach", "liczba opasek", "0", "820"),
    ),
    (
        "Bieszczady bez barier – przewozy dla osób z niepełnosprawnościami",
        "Partnerstwo Bieszczadzkie",
        "porozumienie międzygminne",
        0,
        ["1821033", "1821", "1801083", "1821022"],
        None,
        (
            "transport indywidualny",
            "brak dojazdu do lekarza i pracy dla osób z niepełnosprawnościami",
            "liczba przejazdów rocznie",
            "0",
            "6 900",
        ),
    ),
    (
        "Wspólna ochrona przeciwpowodziowa Doliny Soły",
        "Partnerstwo Doliny Soły",
        "porozumienie",
        0,
        ["1213011", "12", "1213043", "1213062", "2417011"],
        None,
        (
            "ochrona przeciwpowodziowa",
            "powodzie i brak wspólnego monitoringu rzeki",
            "liczba czujników poziomu wody",
            "2",
            "34",
        ),
    ),
]
# What each partnership wrote for the public results page (`public_summary`), for the finished editions: plain
# language for residents, unlike the jury's summary.
PUBLIC_SUMMARIES = {
    "Lubelska wspólna komunikacja miejska": (
        "Jednym biletem dojedziesz z Lublina do Świdnika i z powrotem. Autobusy miejskie i podmiejskie mają wspólny "
        "rozkład, a przesiadki są zgrane co do minuty. W pierwszym roku z linii skorzystało ponad cztery miliony "
        "pasażerów."
    ),
    "Wspólne zakupy energii gmin kłodzkich": (
        "Gminy Ziemi Kłodzkiej kupują prąd razem, w jednym przetargu dla szkół, urzędów i oświetlenia ulic. "
        "Dzięki temu w dwa lata zaoszczędziły 870 tys. zł, które trafiły na remonty świetlic."
    ),
    "Ełcki program profilaktyki zdrowotnej": (
        "Mobilny gabinet dojeżdża do wsi, w których najbliższa przychodnia jest kilkanaście kilometrów dalej. "
        "Mieszkańcy badają się bez skierowania, a pielęgniarki z organizacji partnerskiej umawiają dalsze wizyty. "
        "Liczba badań wzrosła z 300 do ponad 4 tysięcy rocznie."
    ),
    "Gorzowskie centrum usług społecznych": (
        "W jednym miejscu mieszkańcy Gorzowa i gminy Bogdaniec załatwiają opiekę wytchnieniową, asystenta osoby "
        "z niepełnosprawnością i pomoc psychologa. Centrum prowadzą wspólnie oba samorządy."
    ),
    "Wspólne centrum zarządzania kryzysowego Ziemi Nyskiej": (
        "Po powodzi gminy powiatu nyskiego zbudowały wspólne centrum, które śledzi stan rzek i ostrzega "
        "mieszkańców SMS-em. Ostrzeżenie dociera dziś w pół godziny zamiast w sześć. Strażacy i urzędnicy "
        "ćwiczą razem dwa razy w roku."
    ),
    "Kaszubska sieć dziennych domów seniora": (
        "W czterech gminach powiatu kartuskiego działa sieć dziennych domów seniora ze wspólnym transportem. "
        "Seniorzy z małych wsi spędzają w nich dzień: gimnastyka, warsztaty, obiad i rozmowa. Miejsc jest sześć "
        "razy więcej niż przed projektem."
    ),
    "Krośnieńskie laboratoria STEM dla szkół": (
        "Uczniowie małych szkół z okolic Krosna robią doświadczenia w prawdziwych laboratoriach. Autobus "
        "dowozi klasy do pracowni prowadzonych z uczelnią, a nauczyciele przechodzą wspólne szkolenia."
    ),
    "Kolej aglomeracyjna dla dojazdów do pracy w regionie łódzkim": (
        "Pociągi Łódzkiej Kolei Aglomeracyjnej jeżdżą co pół godziny do Zgierza, Pabianic i Koluszek, a przy "
        "stacjach powstały parkingi „parkuj i jedź”. Jeden bilet obejmuje pociąg i komunikację miejską. "
        "Codziennie koleją dojeżdża prawie trzy razy więcej osób niż przed projektem."
    ),
    "Wspólny system informacji przestrzennej Aglomeracji Kalisko-Ostrowskiej": (
        "Plany miejscowe, mapy i wnioski o warunki zabudowy z 13 gmin wokół Kalisza i Ostrowa Wielkopolskiego są "
        "w jednym geoportalu. Mieszkaniec sprawdza działkę w kilka minut, a gminy planują drogi i szkoły, widząc "
        "plany sąsiadów."
    ),
    "Czyste powietrze Subregionu Zachodniego – wspólny program termomodernizacji": (
        "Wspólny punkt doradczy pomaga mieszkańcom Rybnika, Żor i sąsiednich gmin wymienić piec i ocieplić dom: "
        "od audytu po wniosek o dotację. Zmodernizowano już ponad 2 300 domów, a dni ze smogiem jest o połowę mniej."
    ),
    "Białostocka sieć żłobków gminnych": (
        "Białystok i trzy sąsiednie gminy prowadzą żłobki według wspólnego standardu i wspólnej rekrutacji. "
        "Rodzic zapisuje dziecko do żłobka najbliżej pracy albo domu, niezależnie od gminy zamieszkania."
    ),
    "Retencja wód opadowych na Pomorzu Zachodnim": (
        "Zielone dachy, ogrody deszczowe i zbiorniki pod boiskami zatrzymują deszczówkę w Szczecinie i gminach "
        "wokół niego. Ulice, które co roku zalewało, po ostatnich ulewach pozostały suche."
    ),
    "Świętokrzyskie Centrum Kształcenia Zawodowego": (
        "Szkoły zawodowe powiatu kieleckiego i Kielc uczą razem z rzemieślnikami i firmami regionu. Uczniowie "
        "odbywają praktyki w zakładach, a pracodawcy współtworzą programy nauczania."
    ),
    "Cyfrowy urząd gmin powiatu toruńskiego": (
        "Mieszkańcy powiatu toruńskiego złożą ponad sto rodzajów wniosków przez internet, w jednym systemie "
        "wspólnym dla powiatu i gmin. Ponad połowę spraw załatwia się już bez wizyty w urzędzie."
    ),
    "Teleopieka dla seniorów Ziemi Płockiej": (
        "Seniorzy mieszkający samotnie noszą opaskę z przyciskiem SOS, a centrum teleopieki całą dobę wzywa "
        "pomoc i dzwoni do rodziny. Z usługi korzysta ponad 800 osób z Płocka i gmin powiatu."
    ),
    "Bieszczady bez barier – przewozy dla osób z niepełnosprawnościami": (
        "Przystosowane busy wożą osoby z niepełnosprawnościami do lekarza, pracy i urzędu w całych Bieszczadach. "
        "Przejazd zamawia się telefonicznie dzień wcześniej, a koszty dzielą się gminy i powiat."
    ),
    "Wspólna ochrona przeciwpowodziowa Doliny Soły": (
        "Gminy z obu brzegów Soły, z Małopolski i ze Śląska, mają wspólną sieć czujników poziomu wody i wspólny "
        "plan na czas powodzi. Mieszkańcy dostają ostrzeżenia w aplikacji, a magazyny przeciwpowodziowe są "
        "rozmieszczone wzdłuż całej rzeki."
    ),
}


def content(project):
    """Full, realistic Polish content built around the project's topic."""
    title, partnership, legal_form, _category, codes, other, topic = project
    subject, problem, indicator, baseline, achieved = topic
    return (
        {
            "partnership_name": partnership,
            "legal_form": legal_form,
            "formed_on": datetime.date(2019, 9, 1),
            "title": title,
            "summary": (
                f"Samorządy partnerstwa wspólnie zorganizowały {subject}, odpowiadając na problem: {problem}. "
                "Projekt połączył zasoby gmin, uprościł procedury i przyniósł mierzalne korzyści mieszkańcom."
            ),
            "problem": (
                f"Diagnoza przeprowadzona wspólnie przez partnerów pokazała, że głównym problemem jest {problem}. "
                "Pojedyncze gminy nie miały wystarczających zasobów, by samodzielnie go rozwiązać."
            ),
            "goals": f"Cel główny: poprawa dostępności i jakości usług w obszarze: {subject}. Cele szczegółowe: "
            "obniżenie kosztów, wspólne standardy obsługi, lepsza informacja dla mieszkańców.",
            "cooperation_method": (
                "Partnerzy podpisali porozumienie określające zasady współpracy, powołali komitet sterujący z "
                "przedstawicielami wszystkich samorządów i wspólny zespół projektowy działający w urzędzie lidera."
            ),
            "activities": (
                "1. Wspólna diagnoza i konsultacje. 2. Przygotowanie dokumentacji i wspólnego zamówienia. "
                f"3. Uruchomienie usługi ({subject}). 4. Monitoring i coroczny raport dla rad gmin."
            ),
            "partner_roles": (
                "Lider odpowiada za koordynację, zamówienia i rozliczenia; partnerzy współfinansują działania "
                "proporcjonalnie do liczby mieszkańców. Decyzje komitet sterujący podejmuje konsensusem, a gdy go brak "
                "– większością dwóch trzecich głosów."
            ),
            "resident_involvement": (
                "Przeprowadziliśmy konsultacje społeczne (ankiety, spotkania w sołectwach, dyżury online). "
                "W komitecie sterującym zasiadają z głosem doradczym przedstawiciele rad seniorów i organizacji."
            ),
            "results_description": f"Najważniejszy rezultat: {indicator}: z {baseline} na {achieved}. "
            "Mieszkańcy oceniają usługę dobrze lub bardzo dobrze (82% w badaniu ankietowym).",
            "costs_and_funding": (
                "Koszt całkowity: 3,4 mln zł, w tym 2,1 mln zł z funduszy europejskich, 1,0 mln zł z budżetów "
                "partnerów i 0,3 mln zł z Rządowego Funduszu Inwestycji Lokalnych."
            ),
            "sustainability": "Usługa jest finansowana z budżetów partnerów w wieloletnich prognozach finansowych; "
            "porozumienie zawarto na czas nieokreślony.",
            "replicability": "Opracowaliśmy podręcznik wdrożenia i wzory dokumentów; rozwiązanie przejęły już dwie "
            "kolejne gminy regionu.",
            "implementation_start": datetime.date(2022, 3, 1),
            "implementation_end": datetime.date(2024, 10, 31),
            "contact_position": "koordynator projektu",
            "contact_phone": "+48 600 100 200",
            "public_summary": PUBLIC_SUMMARIES.get(title, ""),
        },
        codes,
        other,
        (indicator, baseline, achieved),
    )


def _pdf(title):
    from weasyprint import HTML

    html = (
        f"<h1>{title}</h1><p>Porozumienie o współpracy zawarte pomiędzy partnerami projektu.</p>"
        "<p>§1. Strony porozumienia zobowiązują się do wspólnej realizacji projektu.</p>"
        "<p>§2. Liderem partnerstwa jest gmina wskazana we wniosku.</p>"
    )
    return HTML(string=html).write_pdf()


def _jpeg():
    from PIL import Image, ImageDraw

    image = Image.new("RGB", (320, 200), (11, 61, 110))
    draw = ImageDraw.Draw(image)
    draw.rectangle((20, 120, 300, 180), fill=(179, 89, 0))
    draw.ellipse((230, 20, 290, 80), fill=(255, 210, 60))
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=80)
    return buffer.getvalue()


def _store(application, requirement, data, name, content_type, owner, number=1):
    extension = "pdf" if content_type == "application/pdf" else "jpg"
    suffix = "" if number == 1 else f"-{number}"
    key = f"attachments/{application.edition_id}/{application.pk}/demo-{requirement.pk}{suffix}.{extension}"
    if not default_storage.exists(key):
        key = default_storage.save(key, ContentFile(data))
    Attachment.objects.create(
        application=application,
        requirement=requirement,
        file=key,
        original_name=name,
        size=len(data),
        content_type=content_type,
        sha256=hashlib.sha256(data).hexdigest(),
        uploaded_by=owner,
    )


def _units(codes):
    units = {u.code: u for u in TerritorialUnit.objects.filter(code__in=codes)}
    return [units[c] for c in codes if c in units]


def _create(edition, owner, project, index, status, files, now):
    fields, codes, other, (indicator, baseline, achieved) = content(project)
    categories = list(edition.categories.all())
    application = Application.objects.filter(edition=edition, title=fields["title"]).first()
    if application is not None:
        if fields["public_summary"] and not application.public_summary:  # a demo seeded before the field
            Application.objects.filter(pk=application.pk).update(public_summary=fields["public_summary"])
        return application
    application = Application.objects.create(
        edition=edition,
        category=categories[project[3] % len(categories)],
        owner=owner,
        contact_name=owner.full_name,
        contact_email=owner.email,
        **fields,
    )
    for order, unit in enumerate(_units(codes)):
        Partner.objects.create(
            application=application,
            kind=Partner.Kind.LOCAL_GOVERNMENT,
            territorial_unit=unit,
            order=order,
            is_leader=order == 0,
            role="Lider partnerstwa: koordynacja i rozliczenia"
            if order == 0
            else "Partner: współfinansowanie i realizacja działań na terenie gminy",
        )
    if other:
        kind, name, nip, regon, krs = other
        Partner.objects.create(
            application=application,
            kind=kind,
            name=name,
            nip=nip,
            regon=regon,
            krs=krs,
            order=len(codes),
            role="Wsparcie merytoryczne i promocja",
        )
    ResultIndicator.objects.create(
        application=application, name=indicator, baseline=baseline, achieved=achieved, source="Sprawozdania partnerów"
    )
    ResultIndicator.objects.create(
        application=application,
        name="Zadowolenie mieszkańców (%)",
        baseline="—",
        achieved="82",
        source="Badanie ankietowe",
    )
    # Files for publication are drawn for each project (_publication_files), not the shared placeholders.
    requirements = [r for r in edition.attachment_requirements.all() if not r.published_for_awarded]
    if status != Status.DRAFT or index % 2:
        for requirement in requirements:
            if "pdf" in requirement.allowed_types:
                _store(application, requirement, files["pdf"], "porozumienie-partnerskie.pdf", "application/pdf", owner)
            elif "jpeg" in requirement.allowed_types:
                _store(application, requirement, files["jpeg"], "zdjecie-z-realizacji.jpg", "image/jpeg", owner)
        version, _text = declaration_texts.VERSION, None
        for kind in Declaration.Kind.values:
            Declaration.objects.create(
                application=application,
                kind=kind,
                text_version=version,
                text=declaration_texts.current(kind)[1],
                accepted_by=owner,
                accepted_at=now,
            )
    if status != Status.DRAFT:
        _submit(application, owner, edition.submission_deadline - datetime.timedelta(days=3 + index, hours=index))
        if status != Status.SUBMITTED:
            application.status = status
            if status == Status.CORRECTIONS_REQUESTED:
                application.corrections_fields = ["results_description", "attachments"]
                application.corrections_note = (
                    "Prosimy podać źródło danych dla wskaźnika rezultatu i dołączyć podpisane porozumienie."
                )
                application.corrections_deadline = now + datetime.timedelta(days=7)
            application.save()
    return application


def _publication_files(application, project):
    """The photos (with their camera's EXIF) and the presentation the partnership gave for publication, if it is
    awarded; drawn only when missing, so a second seed draws nothing."""
    requirements = [r for r in application.edition.attachment_requirements.all() if r.published_for_awarded]
    if not requirements:
        return
    present = set(Attachment.objects.filter(application=application).values_list("requirement_id", flat=True))
    _fields, _codes, _other, (indicator, baseline, achieved) = content(project)
    title, caption, subject, problem = project[0], project[1], project[6][0], project[6][1]
    for requirement in requirements:
        if requirement.pk in present:
            continue
        if "jpeg" in requirement.allowed_types:
            for number in range(1, demo_media.PHOTOS_PER_ENTRY + 1):
                data = demo_media.photo(caption, subject, number)
                name = f"IMG_20240{5 + number}1{number}_10{number}2.jpg"  # as a phone names it
                _store(application, requirement, data, name, "image/jpeg", application.owner, number)
        elif "pdf" in requirement.allowed_types:
            data = demo_media.presentation(caption, title, problem, indicator, baseline, achieved)
            _store(application, requirement, data, "prezentacja.pdf", "application/pdf", application.owner)


def _submit(application, owner, at):
    from django.db.models import Max

    sequence = (Application.objects.filter(edition=application.edition).aggregate(m=Max("sequence"))["m"] or 0) + 1
    application.sequence = sequence
    application.code = f"{settings.APPLICATION_CODE_PREFIX}-{application.edition.year}-{sequence:03d}"
    application.submitted_at = at
    application.status = Status.SUBMITTED
    application.save()
    ApplicationVersion.objects.create(
        application=application, number=1, snapshot=services.snapshot(application), created_by=owner
    )


def _bulk_accepted(edition, owner, count, stdout=None):
    """N extra accepted applications for benchmarks, with bulk inserts so 2,000 take seconds."""
    from django.db.models import Max

    existing = Application.objects.filter(edition=edition, title__startswith=BENCH_TITLE).count()
    missing = max(0, count - existing)
    if not missing:
        return
    categories = list(edition.categories.all())
    units = list(
        TerritorialUnit.objects.filter(
            kind__in=[TerritorialUnit.Kind.URBAN, TerritorialUnit.Kind.RURAL, TerritorialUnit.Kind.URBAN_RURAL]
        ).order_by("code")[:400]
    )
    start = (Application.objects.filter(edition=edition).aggregate(m=Max("sequence"))["m"] or 0) + 1
    fields, *_rest = content(PROJECTS[0])
    fields = {k: v for k, v in fields.items() if k not in ("title", "partnership_name")}
    at = edition.submission_deadline - datetime.timedelta(days=1)
    batch = []
    for offset in range(missing):
        sequence = start + offset
        batch.append(
            Application(
                edition=edition,
                category=categories[offset % len(categories)],
                owner=owner,
                status=Status.ACCEPTED,
                sequence=sequence,
                code=f"{settings.APPLICATION_CODE_PREFIX}-{edition.year}-{sequence:03d}",
                submitted_at=at,
                title=f"{BENCH_TITLE} {existing + offset + 1}",
                partnership_name=f"Partnerstwo nr {existing + offset + 1}",
                contact_email=owner.email,
                **fields,
            )
        )
    created = Application.objects.bulk_create(batch, batch_size=500)
    if created and created[0].pk is None:  # databases that do not return ids from bulk inserts
        created = list(Application.objects.filter(edition=edition, sequence__gte=start).order_by("sequence"))
    partners = []
    for index, application in enumerate(created):
        for order in range(2):
            partners.append(
                Partner(
                    application=application,
                    kind=Partner.Kind.LOCAL_GOVERNMENT,
                    territorial_unit=units[(index * 2 + order) % len(units)],
                    is_leader=order == 0,
                    order=order,
                    role="Partner projektu",
                )
            )
    Partner.objects.bulk_create(partners, batch_size=1000)
    if stdout:
        stdout.write(f"Created {len(created)} accepted applications for benchmarks in {edition.year}.")


def seed(password="demo", applications=None, jurors=None, stdout=None, editions=None, organiser=None, **_):
    editions = editions or {}
    now = timezone.now()
    names = [
        "Katarzyna Nowak",
        "Piotr Wiśniewski",
        "Agnieszka Wójcik",
        "Tomasz Kamiński",
        "Magdalena Lewandowska",
        "Marcin Zieliński",
    ]
    applicants = [
        ensure_user(f"applicant{i}@example.com", password, full_name=names[(i - 1) % len(names)])
        for i in range(1, APPLICANTS + 1)
    ]
    files = {"pdf": _pdf("Porozumienie partnerskie"), "jpeg": _jpeg()}
    created = {}
    plans = {
        2026: [(p, Status.ACCEPTED) for p in PROJECTS[:10]]
        + [(PROJECTS[10], Status.REJECTED), (PROJECTS[11], Status.WITHDRAWN)],
        2027: list(
            zip(
                PROJECTS_2027,
                [Status.DRAFT, Status.DRAFT, Status.SUBMITTED, Status.SUBMITTED, Status.CORRECTIONS_REQUESTED],
                strict=True,
            )
        ),
        2025: [(p, Status.ACCEPTED) for p in PROJECTS_2025],
        2024: [(p, Status.ACCEPTED) for p in PROJECTS_2024],
    }
    for year, plan in plans.items():
        edition = editions.get(year)
        if edition is None:
            continue
        created[year] = [
            _create(edition, applicants[index % len(applicants)], project, index, status, files, now)
            for index, (project, status) in enumerate(plan)
        ]
        if year in FINISHED_YEARS:
            for application, (project, _status) in zip(created[year], plan, strict=True):
                _publication_files(application, project)
    if applications and editions.get(2026):
        _bulk_accepted(editions[2026], applicants[0], applications, stdout)
    accepted = (
        list(Application.objects.filter(edition=editions.get(2026), status=Status.ACCEPTED))
        if editions.get(2026)
        else []
    )
    return {"applications": accepted, "applications_by_year": created, "applicants": applicants}
