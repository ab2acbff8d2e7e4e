"""Generated (question, sentence, label) pairs for the answerability verifier.

Everything here is invented from templates: made-up products, companies, offices, people,
towns, software releases and shops, each with attributes a question can ask about. A positive
states the asked attribute of the asked entity in other words than the question (synonyms, a
different sentence shape, a table row read as "column: value" records, the entity left
implicit). Hard negatives are what retrieval brings back when the answer is absent: the same
entity's other attribute, the same attribute of a sibling entity ("X4" asked, "X5" stated), a
near-miss of the asked attribute ("sick leave" asked, "annual leave" stated), the relation read
backwards ("father of A" asked, "A is the father of B" stated), the topic without a value, a
heading, and the question asked back (an FAQ entry). No text comes from eval/ or sample_docs/.

`pairs(seed, n_entities, held_out)` returns the pairs; `ATTRIBUTES` lists every attribute key
so a caller can hold some out. `qualified_pairs(seed, n_facts)` adds facts of one year or one
branch, stated for it or only for another one of the same entity.
"""

import random
from collections.abc import Callable
from dataclasses import dataclass, field

Value = Callable[[random.Random], str]


@dataclass(frozen=True)
class Attribute:
    key: str
    kind: str  # entity kind it applies to
    noun: str  # "the weight": for sentences that name the attribute without a value
    asks: tuple[str, ...]  # question templates: {e} entity, {p} its possessive
    states: tuple[str, ...]  # statement templates: {e}, {p}, {v} the value
    labels: tuple[str, ...]  # table column names
    value: Value
    family: str = ""  # attributes of one family are each other's near misses


@dataclass
class Entity:
    kind: str
    full: str
    short: list[str]
    generic: list[str]  # "it", "the unit": the entity left implicit
    possessive_generic: list[str]
    values: dict[str, str] = field(default_factory=dict)


# ---------------------------------------------------------------- values


def _num(lo: float, hi: float, step: float = 1) -> Callable[[random.Random], str]:
    def draw(rng: random.Random) -> str:
        x = rng.randrange(int(lo / step), int(hi / step) + 1) * step
        text = f"{x:,.1f}" if step < 1 else f"{int(x):,}"
        return text

    return draw


def _unit(lo: float, hi: float, *units: str, step: float = 1) -> Value:
    return lambda rng: f"{_num(lo, hi, step)(rng)} {rng.choice(units)}".replace(" %", "%")


def _money(lo: int, hi: int) -> Value:
    def draw(rng: random.Random) -> str:
        amount = _num(lo, hi)(rng)
        return rng.choice([f"€{amount}", f"{amount} euros", f"${amount}", f"{amount} EUR"])

    return draw


def _choice(*options: str) -> Value:
    return lambda rng: rng.choice(options)


_MONTHS = "January February March April May June July August September October November December"


def _date(rng: random.Random) -> str:
    day, month, year = rng.randint(1, 28), rng.choice(_MONTHS.split()), rng.randint(2003, 2029)
    return rng.choice([f"{day} {month} {year}", f"{month} {day}, {year}", f"{month} {year}"])


def _year(rng: random.Random) -> str:
    return str(rng.randint(1890, 2022))


_FIRST_F = "Anna Ines Sofia Lena Maya Clara Noor Elif Hanna Vera Ada Iris Lucia Greta Nadia".split()
_FIRST_M = "Tomas Jonas Ravi Omar Felix Emil Bruno Pavel Luca Anders Kenji Hugo Marek Sven".split()
_SURNAMES = (
    "Okafor Lindgren Moreau Castell Novak Haddad Brandt Ferreira Kowal Tanaka Delacroix Varga "
    "Solberg Mendes Petrov Quist Adeyemi Rossi Horvath Nyberg Albescu Marchetti Dufresne"
).split()
_SYLLABLES = "vel tor ari mon dex qua lin sor bri han ost ker zel pra nov ful gem tas rud".split()
_CITY_TAILS = ["", "burg", "ford", "haven", "ville", "stad", "mouth", "field"]


def _coin(rng: random.Random) -> str:
    return "".join(rng.choice(_SYLLABLES) for _ in range(rng.randint(2, 3))).capitalize()


def _person_name(rng: random.Random) -> str:
    return f"{rng.choice(_FIRST_F + _FIRST_M)} {rng.choice(_SURNAMES)}"


def _town(rng: random.Random) -> str:
    return _coin(rng) + rng.choice(_CITY_TAILS)


def _company_name(rng: random.Random) -> str:
    tail = ["Systems", "Logistics", "Foods", "Energy", "Labs", "Works", "Group", "Textiles"]
    return f"{_coin(rng)} {rng.choice(tail)}"


# ---------------------------------------------------------------- attributes


def _a(key: str, kind: str, noun: str, asks: str, states: str, labels: str, value: Value,
       family: str = "") -> Attribute:  # fmt: skip
    split = [s.strip() for s in asks.split("|")], [s.strip() for s in states.split("|")]
    return Attribute(key, kind, noun, tuple(split[0]), tuple(split[1]),
                     tuple(s.strip() for s in labels.split("|")), value, family)  # fmt: skip


# fmt: off
ATTRIBUTE_LIST = [
    # products and appliances
    _a("weight", "product", "the weight of {e}",
       "How much does {e} weigh? | How heavy is {e}? | What is the weight of {e}? | "
       "Can I carry {e} by myself, how heavy is it? | What's {p} mass?",
       "{e} weighs {v}. | {p} net weight is {v}. | At {v}, {e} is easy to move. | "
       "{e} tips the scales at {v} without packaging. | The mass of {e} comes to {v}.",
       "Weight | Net weight | Mass", _unit(2, 140, "kg", "kilograms"), "mass"),
    _a("max_load", "product", "the maximum load of {e}",
       "What is the maximum load of {e}? | How much weight can {e} carry? | "
       "How heavy a load can {e} take?",
       "{e} carries loads of up to {v}. | {p} maximum payload is {v}. | "
       "Do not load {e} with more than {v}.",
       "Max load | Payload | Load capacity", _unit(20, 400, "kg"), "mass"),
    _a("price", "product", "the price of {e}",
       "How much does {e} cost? | What is the price of {e}? | How expensive is {e}? | "
       "What will I pay for {e}?",
       "{e} costs {v}. | {e} sells for {v}. | {e} is priced at {v} including VAT. | "
       "You can buy {e} for {v}. | {p} retail price is {v}.",
       "Price | List price | Retail price | Cost", _money(49, 9000), "money"),
    _a("install_fee", "product", "the installation fee for {e}",
       "How much does installing {e} cost? | What is the installation fee for {e}? | "
       "What do I pay to have {e} installed?",
       "Installation of {e} costs {v}. | A technician installs {e} for a fee of {v}. | "
       "Fitting {e} is charged at {v}.",
       "Installation fee | Installation | Fitting charge", _money(80, 900), "money"),
    _a("storage", "product", "the storage capacity of {e}",
       "How much energy can {e} store? | What is the capacity of {e}? | "
       "How many kilowatt-hours does {e} hold?",
       "{e} stores up to {v}. | {p} usable energy is {v}. | {e} has room for {v} of energy.",
       "Capacity | Usable energy | Storage", _unit(2, 30, "kWh", step=0.5), "energy"),
    _a("power_out", "product", "the power output of {e}",
       "What is the power output of {e}? | How much power can {e} deliver? | "
       "How powerful is {e}?",
       "{e} delivers up to {v}. | {p} rated output is {v}. | {e} supplies a continuous {v}.",
       "Output power | Rated output | Power", _unit(1, 12, "kW", step=0.5), "power"),
    _a("power_in", "product", "the power consumption of {e}",
       "How much power does {e} use? | What is the power consumption of {e}? | "
       "How much electricity does {e} draw?",
       "{e} draws {v} while running. | {p} consumption is {v}. | In use, {e} needs {v}.",
       "Power consumption | Consumption | Input power", _unit(5, 2400, "W", "watts"), "power"),
    _a("warranty", "product", "the warranty of {e}",
       "How long is the warranty on {e}? | How many years of guarantee does {e} have? | "
       "For how long is {e} covered?",
       "{e} comes with a {v} warranty. | {e} is guaranteed for {v}. | "
       "The manufacturer covers {e} for {v} from the date of purchase.",
       "Warranty | Guarantee | Warranty period", _unit(1, 12, "years"), ""),
    _a("height", "product", "the height of {e}",
       "How tall is {e}? | What is the height of {e}? | How high is {e}?",
       "{e} stands {v} tall. | {p} height is {v}. | {e} measures {v} from floor to top.",
       "Height | H", _unit(20, 210, "cm", "mm"), "size"),
    _a("width", "product", "the width of {e}",
       "How wide is {e}? | What is the width of {e}?",
       "{e} is {v} wide. | {p} width is {v}. | {e} needs {v} of wall space side to side.",
       "Width | W", _unit(20, 150, "cm"), "size"),
    _a("noise", "product", "the noise level of {e}",
       "How loud is {e}? | What is the noise level of {e}? | How noisy is {e} when running?",
       "{e} runs at {v}. | {p} sound level stays below {v}. | {e} is quiet at {v}.",
       "Noise | Sound level | Noise level", _unit(20, 70, "dB", "dB(A)"), ""),
    _a("min_temp", "product", "the lowest operating temperature of {e}",
       "What is the lowest temperature {e} works at? | How cold can it get before {e} stops? "
       "| What is the minimum operating temperature of {e}?",
       "{e} operates down to {v}. | Below {v}, {e} stops working. | "
       "{p} minimum ambient temperature is {v}.",
       "Min. temperature | Lowest operating temperature", _unit(-30, 5, "°C"), "temp"),
    _a("max_temp", "product", "the highest operating temperature of {e}",
       "What is the highest temperature {e} tolerates? | How hot can it get around {e}? | "
       "What is the maximum operating temperature of {e}?",
       "{e} operates up to {v}. | Above {v}, {e} shuts down. | "
       "{p} maximum ambient temperature is {v}.",
       "Max. temperature | Highest operating temperature", _unit(35, 60, "°C"), "temp"),
    _a("runtime", "product", "the battery life of {e}",
       "How long does {e} run on a full charge? | What is the battery life of {e}? | "
       "How long does {p} battery last?",
       "A full charge keeps {e} going for {v}. | {e} runs for up to {v} per charge. | "
       "{p} battery lasts {v}.",
       "Battery life | Runtime | Run time", _unit(2, 40, "hours"), "time"),
    _a("charge_time", "product", "the charging time of {e}",
       "How long does it take to charge {e}? | How quickly does {e} recharge? | "
       "What is the charging time of {e}?",
       "{e} charges fully in {v}. | Recharging {e} takes {v}. | "
       "From empty, {e} is full after {v}.",
       "Charging time | Charge time | Recharge", _unit(20, 300, "minutes"), "time"),
    _a("release", "product", "the launch date of {e}",
       "When was {e} launched? | When did {e} come out? | When did {e} go on sale?",
       "{e} went on sale in {v}. | {e} was launched on {v}. | {e} reached shops in {v}.",
       "Launch date | Released | On sale since", _date, "date"),
    _a("efficiency", "product", "the efficiency of {e}",
       "How efficient is {e}? | What is the efficiency of {e}?",
       "{e} reaches an efficiency of {v}. | {e} converts {v} of its input into output. | "
       "{p} efficiency is rated at {v}.",
       "Efficiency | Round-trip efficiency", _unit(60, 99, "%"), "percent"),
    _a("top_speed", "product", "the top speed of {e}",
       "How fast can {e} go? | What is the top speed of {e}? | What speed does {e} reach?",
       "{e} reaches {v}. | {p} top speed is {v}. | {e} is limited to {v}.",
       "Top speed | Max speed | Speed", _unit(15, 80, "km/h"), "distance"),
    _a("range", "product", "the range of {e}",
       "How far can {e} go on one charge? | What is the range of {e}?",
       "{e} covers {v} on one charge. | {p} range is {v}. | One battery takes {e} {v}.",
       "Range | Range per charge", _unit(20, 300, "km"), "distance"),
    _a("maker", "product", "the manufacturer of {e}",
       "Who makes {e}? | Which company manufactures {e}? | Who is the maker of {e}?",
       "{e} is made by {v}. | {v} designs and builds {e}. | {e} is a product of {v}.",
       "Manufacturer | Made by | Brand", _company_name, "org"),
    _a("outdoor", "product", "outdoor use of {e}",
       "Can {e} be used outdoors? | Is {e} suitable for outside use? | Can I put {e} outside?",
       "{e} is rated for outdoor installation. | {e} must be kept indoors and away from rain. | "
       "Only use {e} inside a dry room.", "Outdoor use | Indoor only", _choice("yes", "no"), ""),
    _a("service", "product", "servicing of {e}",
       "How often does {e} need servicing? | How often should {e} be maintained?",
       "{e} needs a service every {v}. | Have a technician inspect {e} every {v}.",
       "Service interval | Maintenance", _unit(6, 36, "months"), "time"),
    # companies
    _a("hq", "company", "the headquarters of {e}",
       "Where is {e} headquartered? | Where is {p} head office? | In which city is {e} based?",
       "{e} has its headquarters in {v}. | {e} is based in {v}. | {p} head office is in {v}.",
       "Headquarters | Head office | Based in", _town, "place"),
    _a("founded", "company", "the founding of {e}",
       "When was {e} founded? | In which year was {e} established? | How old is {e}?",
       "{e} was founded in {v}. | {e} was set up in {v}. | Since {v}, {e} has been trading.",
       "Founded | Established | Since", _year, "date"),
    _a("ceo", "company", "the chief executive of {e}",
       "Who runs {e}? | Who is the CEO of {e}? | Who is the chief executive of {e}?",
       "{v} has led {e} as chief executive since 2019. | {p} CEO is {v}. | "
       "{e} is run by its chief executive, {v}.",
       "CEO | Chief executive", _person_name, "role"),
    _a("founder", "company", "the founders of {e}",
       "Who founded {e}? | Who started {e}?",
       "{e} was founded by {v}. | {v} started {e} in a garage. | {v} set up {e}.",
       "Founder | Founded by", _person_name, "role"),
    _a("employees", "company", "the headcount of {e}",
       "How many people work at {e}? | How many employees does {e} have? | How big is {p} staff?",
       "{e} employs {v} people. | {p} workforce numbers {v}. | {v} staff work for {e}.",
       "Employees | Headcount | Staff", _num(12, 9000), "count"),
    _a("customers", "company", "the customers of {e}",
       "How many customers does {e} have? | How many clients does {e} serve?",
       "{e} serves {v} customers. | {v} clients buy from {e}. | {p} customer base is {v}.",
       "Customers | Clients", _num(100, 90000), "count"),
    _a("revenue", "company", "the revenue of {e}",
       "What was {p} revenue last year? | How much did {e} sell last year? | "
       "What is {p} annual turnover?",
       "{p} turnover last year was {v}. | Last year {e} booked sales of {v}. | "
       "{e} had revenue of {v} last year.",
       "Revenue | Turnover | Sales", _money(1_000_000, 90_000_000), "money"),
    _a("profit", "company", "the profit of {e}",
       "How much profit did {e} make last year? | What was {p} net income?",
       "{e} made a net profit of {v} last year. | {p} net income came to {v}.",
       "Net profit | Net income | Profit", _money(50_000, 9_000_000), "money"),
    _a("hours", "company", "the opening hours of {e}",
       "When is {e} open? | What are {p} opening hours? | At what times can I visit {e}?",
       "{e} is open {v}. | You can visit {e} {v}. | {p} doors are open {v}.",
       "Opening hours | Hours | Open", _choice(
           "Monday to Friday from 8:00 to 17:00", "weekdays 9:00-18:00",
           "Tuesday to Saturday, 10 am to 6 pm", "every day from 7:30 to 20:00"), "hours"),
    _a("phone", "company", "the phone number of {e}",
       "What is {p} phone number? | How can I call {e}? | Which number do I dial for {e}?",
       "Call {e} on {v}. | {p} phone line is {v}. | You can reach {e} by phone at {v}.",
       "Phone | Telephone | Tel.", lambda r: f"+{r.randint(30, 49)} {r.randint(1, 9)} "
       f"{r.randint(100, 999)} {r.randint(10, 99)} {r.randint(10, 99)}", "contact"),
    _a("email", "company", "the email address of {e}",
       "What email address does {e} use? | How do I email {e}? | Where can I write to {e}?",
       "Write to {e} at {v}. | {p} email address is {v}. | {e} answers mail sent to {v}.",
       "Email | E-mail | Mail", lambda r: f"{r.choice(['info', 'help', 'hello'])}@"
       f"{_coin(r).lower()}.com", "contact"),
    # HR policy at a company or office
    _a("annual_leave", "employer", "annual leave at {e}",
       "How many days of annual leave do employees get at {e}? | How much paid vacation is "
       "there at {e}? | How many holiday days do staff at {e} have?",
       "Staff at {e} receive {v} of paid holiday per year. | Employees at {e} are entitled to "
       "{v} of annual leave. | At {e}, vacation allowance is {v} a year.",
       "Annual leave | Vacation | Holiday allowance", _unit(20, 35, "days"), "leave"),
    _a("sick_leave", "employer", "sick leave at {e}",
       "How many days of sick leave do employees get at {e}? | How much paid sick time is "
       "there at {e}? | How long can staff at {e} be off ill on full pay?",
       "Staff at {e} get {v} of paid sick leave. | Employees at {e} keep full pay for {v} "
       "of illness. | At {e}, sickness absence is paid for {v} a year.",
       "Sick leave | Sick days | Sickness absence", _unit(5, 30, "days"), "leave"),
    _a("parental_leave", "employer", "parental leave at {e}",
       "How much parental leave does {e} offer? | How long can new parents at {e} stay home? "
       "| How many weeks of parental leave are there at {e}?",
       "New parents at {e} may take {v} of leave. | {e} gives {v} of paid parental leave. | "
       "After a birth or adoption, staff at {e} get {v} off.",
       "Parental leave | Leave for new parents", _unit(4, 26, "weeks"), "leave"),
    _a("notice", "employer", "the notice period at {e}",
       "How much notice must employees at {e} give? | What is the notice period at {e}?",
       "Employees at {e} must give {v} notice before leaving. | The notice period at {e} is "
       "{v}. | Staff who resign from {e} work {v} of notice.",
       "Notice period | Notice", _unit(1, 3, "months"), "period"),
    _a("probation", "employer", "the probation period at {e}",
       "How long is the probation period at {e}? | How long is the trial period for new hires "
       "at {e}?",
       "New hires at {e} serve a {v} trial period. | Probation at {e} lasts {v}. | "
       "At {e}, the first {v} are a probation period.",
       "Probation | Trial period", _unit(1, 6, "months"), "period"),
    _a("remote", "employer", "remote work at {e}",
       "How many days a week can staff at {e} work from home? | How much remote work is "
       "allowed at {e}?",
       "Employees at {e} may work remotely {v} a week. | Staff at {e} work from home up to "
       "{v} a week. | At {e}, home working is allowed {v} per week.",
       "Remote work | Home working", _choice("one day", "two days", "three days", "four days"),
       "count"),
    _a("training", "employer", "the training budget at {e}",
       "How much can employees at {e} spend on training? | What is the learning budget at {e}?",
       "Each employee at {e} has a learning budget of {v} a year. | {e} pays up to {v} per "
       "person per year for courses.", "Training budget | Learning budget",
       _money(300, 3000), "allowance"),
    _a("meal", "employer", "the meal allowance at {e}",
       "What is the meal allowance at {e}? | How much do employees at {e} get for lunch?",
       "Staff at {e} receive meal vouchers worth {v} per working day. | {e} pays a lunch "
       "allowance of {v} a day.", "Meal allowance | Lunch allowance | Meal vouchers",
       _money(5, 15), "allowance"),
    _a("commute", "employer", "the commuting allowance at {e}",
       "Does {e} pay for commuting? | What is the travel allowance at {e}?",
       "{e} refunds commuting at {v} per kilometre. | Staff at {e} who cycle to work get {v} "
       "per kilometre.", "Commuting allowance | Travel allowance",
       _choice("€0.20", "€0.24", "0.30 euros"), "allowance"),
    _a("pension", "employer", "the pension contribution at {e}",
       "How much does {e} pay into the pension? | What pension contribution does {e} make?",
       "{e} pays {v} of salary into the pension plan. | The employer pension contribution at "
       "{e} is {v}.", "Pension | Pension contribution", _unit(2, 12, "%"), "percent"),
    _a("laptop", "employer", "laptop replacement at {e}",
       "How often do employees at {e} get a new laptop? | When are laptops replaced at {e}?",
       "Laptops at {e} are replaced every {v}. | {e} renews each laptop after {v}.",
       "Laptop replacement | Hardware refresh", _unit(2, 5, "years"), "time"),
    # people
    _a("father", "person", "the father of {e}",
       "Who is the father of {e}? | Who is {p} dad? | What is the name of {p} father?",
       "{p} father is {v}. | {v} is the father of {e}. | {e} is the child of {v}, a carpenter.",
       "Father", _person_name, "relative"),
    _a("mother", "person", "the mother of {e}",
       "Who is the mother of {e}? | Who is {p} mum? | What is the name of {p} mother?",
       "{p} mother is {v}. | {v} is the mother of {e}. | {v} raised {e} as a single mother.",
       "Mother", _person_name, "relative"),
    _a("spouse", "person", "the spouse of {e}",
       "Who is {e} married to? | Who is {p} spouse? | Who is {p} partner?",
       "{e} is married to {v}. | {p} wife is {v}. | {e} and {v} married in 2011.",
       "Spouse | Partner", _person_name, "relative"),
    _a("sibling", "person", "the siblings of {e}",
       "Who is {p} sister? | Does {e} have a sister?",
       "{p} sister is {v}. | {v} is the sister of {e}. | {e} grew up with a sister, {v}.",
       "Sister | Sibling", _person_name, "relative"),
    _a("birthplace", "person", "the birthplace of {e}",
       "Where was {e} born? | What is {p} place of birth? | Which town does {e} come from?",
       "{e} was born in {v}. | {p} birthplace is {v}. | {e} is a native of {v}.",
       "Birthplace | Place of birth", _town, "place"),
    _a("residence", "person", "the home of {e}",
       "Where does {e} live? | In which town does {e} live now?",
       "{e} lives in {v}. | {e} moved to {v}, where {p} home is now. | {p} home is in {v}.",
       "Residence | Lives in", _town, "place"),
    _a("birthdate", "person", "the birthday of {e}",
       "When was {e} born? | What is {p} date of birth? | When is {p} birthday?",
       "{e} was born on {v}. | {p} date of birth is {v}. | {e} was born {v}.",
       "Date of birth | Born", _date, "date"),
    _a("job", "person", "the job of {e}",
       "What does {e} do for a living? | What is {p} job? | What is {p} occupation?",
       "{e} works as a {v}. | {e} is a {v} by profession. | {p} job is {v}.",
       "Occupation | Job | Profession", _choice("nurse", "pilot", "baker", "architect",
       "carpenter", "teacher", "software engineer", "veterinarian", "journalist"), ""),
    _a("employer_of", "person", "the employer of {e}",
       "Who does {e} work for? | Which company employs {e}? | Where does {e} work?",
       "{e} works for {v}. | {e} is employed by {v}. | {v} hired {e} in 2016.",
       "Employer | Works for", _company_name, "org"),
    _a("age", "person", "the age of {e}",
       "How old is {e}? | What age is {e}?",
       "{e} is {v} years old. | {e} turned {v} this spring. | At {v}, {e} is the eldest.",
       "Age", _num(18, 95), ""),
    # towns
    _a("population", "town", "the population of {e}",
       "How many people live in {e}? | What is the population of {e}? | How big is {e}?",
       "{e} has {v} inhabitants. | {e} is home to {v} residents. | {v} people live in {e}.",
       "Population | Inhabitants | Residents", _num(2000, 900000), "count"),
    _a("visitors", "town", "the visitors of {e}",
       "How many tourists visit {e} each year? | How many visitors does {e} get?",
       "{e} welcomes {v} tourists a year. | Each year {v} visitors come to {e}.",
       "Visitors per year | Tourists", _num(5000, 900000), "count"),
    _a("mayor", "town", "the mayor of {e}",
       "Who is the mayor of {e}? | Who runs the town council of {e}?",
       "{v} was elected mayor of {e}. | {p} mayor is {v}. | The town of {e} is led by {v}.",
       "Mayor", _person_name, "role"),
    _a("area", "town", "the area of {e}",
       "How large is {e}? | What area does {e} cover? | What is the surface of {e}?",
       "{e} covers {v}. | {e} spreads over {v}. | {p} territory measures {v}.",
       "Area | Surface", _unit(5, 900, "km²", "square kilometres"), "size"),
    _a("elevation", "town", "the elevation of {e}",
       "How high above sea level is {e}? | What is the altitude of {e}?",
       "{e} lies {v} above sea level. | {e} sits at an altitude of {v}.",
       "Elevation | Altitude", _unit(2, 2400, "m", "metres"), "size"),
    _a("river", "town", "the river of {e}",
       "Which river flows through {e}? | What river runs through {e}?",
       "The {v} runs through {e}. | {e} was built on the banks of the {v}.",
       "River", lambda r: _coin(r), "place"),
    _a("town_founded", "town", "the founding of {e}",
       "When was {e} founded? | How old is the town of {e}?",
       "{e} was founded in {v}. | Settlers established {e} in {v}.",
       "Founded", _year, "date"),
    _a("airport", "town", "the distance from {e} to the airport",
       "How far is {e} from the airport? | How far away is the airport from {e}?",
       "The airport lies {v} from {e}. | From {e}, the airport is {v} away.",
       "Airport distance", _unit(5, 90, "km"), "distance"),
    # software releases
    _a("released", "release", "the release of {e}",
       "When was {e} released? | When did {e} ship? | What is the release date of {e}?",
       "{e} shipped on {v}. | {e} was published on {v}. | {e} became available on {v}.",
       "Release date | Released", _date, "date"),
    _a("eol", "release", "the end of support of {e}",
       "Until when is {e} supported? | When does support for {e} end? | When is {e} retired?",
       "{e} reaches end of life on {v}. | Support for {e} stops on {v}. | "
       "{e} receives security fixes until {v}.",
       "End of support | End of life | Supported until", _date, "date"),
    _a("ram", "release", "the memory requirement of {e}",
       "How much memory does {e} need? | What are the RAM requirements of {e}?",
       "{e} requires at least {v} of RAM. | {e} needs {v} of memory to run.",
       "Memory | RAM | Minimum RAM", _unit(1, 64, "GB"), "storage"),
    _a("disk", "release", "the disk space for {e}",
       "How much disk space does {e} need? | How big is the install of {e}?",
       "{e} takes up {v} on disk. | Installing {e} needs {v} of free disk space.",
       "Disk space | Install size", _unit(100, 900, "MB"), "storage"),
    _a("os", "release", "the supported systems of {e}",
       "Which operating systems does {e} run on? | Does {e} work on Linux?",
       "{e} runs on {v}. | {e} supports {v}.", "Platforms | Operating systems",
       _choice("Windows and macOS", "Linux only", "Windows, macOS and Linux",
               "Android and iOS"), ""),
    _a("port", "release", "the default port of {e}",
       "Which port does {e} listen on? | What is the default port of {e}?",
       "By default {e} listens on port {v}. | {e} serves on port {v} unless configured.",
       "Default port | Port", _num(1024, 9999), "count"),
    _a("max_file", "release", "the file size limit of {e}",
       "What is the largest file {e} accepts? | How big can uploads to {e} be?",
       "{e} accepts uploads up to {v}. | Files larger than {v} are rejected by {e}.",
       "Max file size | Upload limit", _unit(10, 900, "MB"), "storage"),
    _a("licence", "release", "the licence price of {e}",
       "How much does a licence for {e} cost? | What is the price of {e}?",
       "A licence for {e} costs {v} per seat. | {e} is sold at {v} a year per user.",
       "Licence | Price per seat", _money(5, 400), "money"),
    # shops and services
    _a("delivery", "shop", "delivery from {e}",
       "How long does delivery from {e} take? | How soon do orders from {e} arrive?",
       "Orders from {e} arrive within {v}. | {e} ships your order in {v}. | "
       "Delivery from {e} takes {v}.", "Delivery time | Shipping time",
       _unit(1, 10, "working days", "days"), "time"),
    _a("returns", "shop", "returns to {e}",
       "How long do I have to return something to {e}? | What is the return window at {e}?",
       "Items bought at {e} can be returned within {v}. | {e} accepts returns for {v}.",
       "Returns | Return period", _unit(14, 60, "days"), "time"),
    _a("shipping_cost", "shop", "the shipping cost at {e}",
       "How much is shipping at {e}? | What does {e} charge for delivery?",
       "{e} charges {v} for delivery. | Shipping from {e} costs {v}.",
       "Shipping | Delivery charge", _money(3, 30), "money"),
    _a("deposit", "shop", "the deposit at {e}",
       "How much must be paid up front at {e}? | What deposit does {e} ask for?",
       "{e} asks for a deposit of {v} when you order. | A {v} down payment confirms an "
       "order at {e}.", "Deposit | Down payment", _unit(10, 50, "%"), "percent"),
    _a("discount", "shop", "the discount at {e}",
       "What discount does {e} give? | How much off do members get at {e}?",
       "{e} gives members {v} off. | Loyalty card holders save {v} at {e}.",
       "Discount | Member discount", _unit(5, 30, "%"), "percent"),
]


def _offered(kind: str, key: str, thing: str, asks: str, yes: str, no: str) -> Attribute:
    """A yes/no attribute: a sentence saying it is there, or that it is not, answers it."""
    states = " | ".join(t.replace("{x}", thing) for t in (yes + " | " + no).split(" | "))
    return _a(key, kind, thing, asks.replace("{x}", thing), states, thing.capitalize(),
              _choice("yes", "no"), "offered-" + kind)  # fmt: skip


_BENEFITS = ["a company car", "gym membership", "a bike lease", "childcare support",
             "private health insurance", "stock options", "free parking", "language courses",
             "a relocation package", "lunch at the office", "a phone allowance"]  # fmt: skip
_FEATURES = ["a child lock", "Bluetooth", "a delay timer", "a touch screen", "app control",
             "a night mode", "a carrying handle", "voice control", "a self-cleaning cycle",
             "a spare battery slot", "an eco mode"]  # fmt: skip
ATTRIBUTE_LIST += [
    _offered("employer", "benefit:" + b, b,
             "Does {e} offer {x}? | Is there {x} for staff at {e}? | Do employees at {e} get {x}?",
             "Employees at {e} are entitled to {x}. | {e} provides {x} to all staff. | "
             "Staff at {e} can opt for {x} after probation.",
             "{e} does not offer {x}. | {x} is not part of the package at {e}.")
    for b in _BENEFITS
] + [
    _offered("product", "feature:" + f, f,
             "Does {e} have {x}? | Does {e} come with {x}? | Is {e} equipped with {x}?",
             "{e} comes with {x}. | {e} is equipped with {x} as standard. | "
             "Every {e} ships with {x}.",
             "{e} does not have {x}. | {x} is not available on {e}.")
    for f in _FEATURES
]
ATTRIBUTES = {a.key: a for a in ATTRIBUTE_LIST}
# fmt: on
KINDS = sorted({a.kind for a in ATTRIBUTE_LIST})

# The topic without its value: what sources say around a fact they do not give.
_NO_VALUE = [
    "{n} is listed on the specification sheet.",
    "Ask the support team about {n}.",
    "{n} depends on the configuration.",
    "We will publish {n} later this year.",
    "{n} was discussed at the last meeting.",
    "Details about {n} are available on request.",
    "{n} has not been decided yet.",
    "See the appendix for {n}.",
    "Several customers asked us about {n}.",
]
_HEADINGS = ["{N}", "About {n}", "{N} and other details", "Overview: {n}"]
_TAILS = ["", "", "", "", " (see the table below)", ", as stated in the contract",
          ", unless agreed otherwise", ", according to the latest figures",
          ", which is more than most alternatives", " since the last update"]  # fmt: skip
_FILLERS = ["", "", "", "", "According to the datasheet, ", "As of this year, ", "Note: ",
            "In short, ", "For reference, "]  # fmt: skip


# ---------------------------------------------------------------- entities


def _entity(kind: str, rng: random.Random, base: Entity | None = None) -> Entity:
    """A new entity of `kind`; with `base`, a sibling that shares part of its name."""
    if kind == "product":
        noun = rng.choice(["dishwasher", "heat pump", "e-bike", "drone", "router", "kettle",
                           "home battery", "inverter", "scooter", "air purifier"])  # fmt: skip
        brand = base.full.split()[1] if base and rng.random() < 0.7 else _coin(rng)
        code = f"{rng.choice('ABCDKMSTVXZ')}{rng.randint(1, 9)}"
        if base:
            noun = base.full.split(maxsplit=3)[-1]
        full = f"the {brand} {code} {noun}"
        return Entity(kind, full, [f"the {code}", f"the {brand} {code}"],
                      ["it", f"the {noun}", "the unit", "this model"],
                      ["its", f"the {noun}'s", "the unit's", "this model's"])  # fmt: skip
    if kind == "company":
        name = _company_name(rng)
        if base and rng.random() < 0.5:
            name = f"{name.split()[0]} {base.full.split()[1]}"
        return Entity(
            kind, name, [name.split()[0]], ["the company", "it"], ["the company's", "its"]
        )
    if kind == "employer":
        if rng.random() < 0.5:
            full = f"the {_town(rng)} office"
            return Entity(kind, full, [full], ["the office"], ["the office's"])
        name = _company_name(rng)
        return Entity(kind, name, [name.split()[0]], ["the company"], ["the company's"])
    if kind == "person":
        first, last = _person_name(rng).split()
        if base and rng.random() < 0.6:
            b_first, b_last = base.full.split()
            first, last = (first, b_last) if rng.random() < 0.5 else (b_first, last)
        return Entity(kind, f"{first} {last}", [first], [], [])
    if kind == "town":
        name = _town(rng)
        return Entity(kind, name, [name], ["the town", "the city"], ["the town's", "its"])
    if kind == "release":
        product = base.full.split()[0] if base else _coin(rng)
        version = f"{rng.randint(1, 9)}.{rng.randint(0, 12)}"
        full = f"{product} {version}"
        return Entity(
            kind, full, [f"version {version}"], ["this release", "it"], ["this release's", "its"]
        )
    name = f"{_coin(rng)} {rng.choice(['Store', 'Outlet', 'Shop', 'Market'])}"
    return Entity("shop", name, [name], ["the shop", "the store"], ["the shop's", "its"])


def _possessive(name: str) -> str:
    return name + ("'" if name.endswith("s") else "'s")


def _fill(template: str, entity: Entity, form: str, value: str, rng: random.Random) -> str:
    if form == "generic" and entity.generic:
        i = rng.randrange(len(entity.generic))
        e, p = entity.generic[i], entity.possessive_generic[i]
    else:
        e = entity.full if form == "full" or not entity.short else rng.choice(entity.short)
        p = _possessive(e)
    text = template.replace("{e}", e).replace("{p}", p).replace("{v}", value)
    return text[:1].upper() + text[1:]


def _value(entity: Entity, attribute: Attribute, rng: random.Random) -> str:
    if attribute.key not in entity.values:
        entity.values[attribute.key] = attribute.value(rng)
    return entity.values[attribute.key]


def statement(entity: Entity, attribute: Attribute, rng: random.Random) -> str:
    """A sentence or table row stating `attribute` of `entity`."""
    value = _value(entity, attribute, rng)
    label = rng.choice(attribute.labels)
    shape = rng.random()
    if shape < 0.12 and value:
        return f"{label}: {value}"
    if shape < 0.22 and value:
        name = entity.full.removeprefix("the ")
        key = rng.choice(["Model", "Product", "Name", "Item"])
        return f"{key}: {name}; {label}: {value}"
    if shape < 0.27 and value:
        return f"Property: {label}; Value: {value}"
    form = rng.choice(["full", "full", "short", "generic"])
    text = _fill(rng.choice(attribute.states), entity, form, value, rng)
    tail = rng.choice(_TAILS)
    if tail and text.endswith("."):
        text = text[:-1] + tail + "."
    return rng.choice(_FILLERS) + text


def table_row(entity: Entity, attributes: list[Attribute], rng: random.Random) -> str:
    """A table row of several attributes, read as records: "Model: X4; Price: €499; ..."."""
    name = entity.full.removeprefix("the ")
    keys = {
        "product": ["Model", "Product", "Item"],
        "release": ["Version", "Release"],
        "company": ["Company", "Name"],
    }.get(entity.kind, ["Name"])
    cells = [f"{rng.choice(keys)}: {name}"]
    cells += [f"{rng.choice(a.labels)}: {_value(entity, a, rng)}" for a in attributes]
    if rng.random() < 0.3:
        cells.insert(1, f"Code: {rng.choice('ABCDEFGH')}{rng.randint(10, 99)}")
    return "; ".join(cells)


def question(entity: Entity, attribute: Attribute, rng: random.Random, form: str = "") -> str:
    """`form`: "full", "short" or "noun" (the entity named by what it is: "the dishwasher")."""
    form = form or ("full" if rng.random() < 0.6 else "short")
    if form == "noun" and len(entity.generic) > 1:
        nouns = [g for g in entity.generic if g not in ("it", "this model", "this release")]
        noun = rng.choice(nouns)
        named = Entity(entity.kind, noun, [noun], [], [])
        return _fill(rng.choice(attribute.asks), named, "full", "", rng)
    return _fill(rng.choice(attribute.asks), entity, form, "", rng)


def _mention(entity: Entity, attribute: Attribute, rng: random.Random) -> str:
    noun = _fill(attribute.noun, entity, rng.choice(["full", "short"]), "", rng)
    noun = noun[:1].lower() + noun[1:] if noun.startswith("The ") else noun
    template = rng.choice(_NO_VALUE if rng.random() < 0.75 else _HEADINGS)
    text = template.replace("{N}", noun.title()).replace("{n}", noun)
    return text[:1].upper() + text[1:]


def _reversed_relation(entity: Entity, attribute: Attribute, rng: random.Random) -> str:
    """ "{e} is the father of X": the asked entity in the other role."""
    other = _person_name(rng)
    forward = Entity("person", other, [other.split()[0]], [], [])
    template = rng.choice([t for t in attribute.states if t.startswith("{v}")] or attribute.states)
    return _fill(template, forward, "full", entity.full, rng)


def pairs(
    seed: int, n_entities: int, held_out: frozenset[str] = frozenset(), only: bool = False
) -> list[tuple[str, str, int, str]]:
    """(question, sentence, label, kind of pair) for `n_entities` entities per kind; attributes
    in `held_out` are skipped, or with `only` are the only ones used."""
    rng = random.Random(seed)
    out: list[tuple[str, str, int, str]] = []
    for kind in KINDS:
        attributes = [a for a in ATTRIBUTE_LIST if a.kind == kind]
        asked_pool = [a for a in attributes if (a.key in held_out) == only]
        if not asked_pool:
            continue
        for _ in range(n_entities):
            entity = _entity(kind, rng)
            sibling = _entity(kind, rng, base=entity)
            for attribute in rng.sample(asked_pool, min(4, len(asked_pool))):
                out += _examples(entity, sibling, attribute, attributes, rng)
    rng.shuffle(out)
    return out


def _examples(
    entity: Entity, sibling: Entity, attribute: Attribute, attributes: list[Attribute],
    rng: random.Random,
) -> list[tuple[str, str, int, str]]:  # fmt: skip
    by_noun = entity.kind in ("product", "employer", "company") and rng.random() < 0.2
    q = question(entity, attribute, rng, "noun" if by_noun else "")
    others = [a for a in attributes if a is not attribute]
    near = [a for a in others if attribute.family and a.family == attribute.family]
    rows = [(q, statement(entity, attribute, rng), 1, "positive") for _ in range(2)]
    other = rng.choice(others)
    rows.append((q, statement(entity, other, rng), 0, "other attribute"))
    if near:
        rows.append((q, statement(entity, rng.choice(near), rng), 0, "near miss"))
    else:
        rows.append((q, statement(entity, rng.choice(others), rng), 0, "other attribute"))
    if entity.kind in ("product", "release", "company") and rng.random() < 0.5:
        listed = rng.sample(others, 2)
        rows.append((q, table_row(entity, listed, rng), 0, "row without it"))
        listed.insert(rng.randrange(3), attribute)
        rows.append((q, table_row(entity, listed, rng), 1, "positive row"))
        if not by_noun:
            rows.append((q, table_row(sibling, listed, rng), 0, "other entity row"))
    if not by_noun:
        # The sibling's value, named explicitly so the sentence cannot be about the asked one.
        sib = _fill(rng.choice(attribute.states), sibling, "full",
                    _value(sibling, attribute, rng), rng)  # fmt: skip
        rows.append((q, sib, 0, "other entity"))
    stranger = rng.choice([a for a in ATTRIBUTE_LIST if a.kind != entity.kind])
    rows.append((q, statement(_entity(stranger.kind, rng), stranger, rng), 0, "unrelated"))
    if attribute.kind == "person" and attribute.family == "relative" and rng.random() < 0.6:
        rows.append((q, _reversed_relation(entity, attribute, rng), 0, "reversed relation"))
    rows.append((q, _mention(entity, attribute, rng), 0, "no value"))
    if rng.random() < 0.3:
        rows.append((q, question(entity, attribute, rng), 0, "faq question"))
    if rng.random() < 0.3:
        # Two facts in one sentence: one of them the asked one.
        first, second = statement(entity, attribute, rng), statement(entity, other, rng)
        joined = f"{first.rstrip('.')}; {second[:1].lower() + second[1:]}"
        rows.append((q, joined, 1, "positive, two facts"))
    return rows


# ---------------------------------------------------------------- qualified facts

# A fact that holds for one year or one branch: retrieval brings back the same entity's figure
# for another year or branch when the asked one is absent, and the only difference is the
# qualifier. {e} entity, {q} qualifier, {v} value.
_QUALIFIED = [
    ("year", "product", "units sold",
     "How many units of {e} were sold in {q}? | What were the sales of {e} in {q}? | "
     "How many {e} units did we sell in {q}?",
     "{e} sold {v} units in {q}. | In {q}, sales of {e} reached {v} units. | "
     "Year: {q}; Product: {e}; Units sold: {v}"),
    ("year", "company", "revenue",
     "What was the revenue of {e} in {q}? | How much did {e} earn in {q}? | "
     "What turnover did {e} report for {q}?",
     "In {q}, {e} booked revenue of {v}. | {e} reported a turnover of {v} for {q}. | "
     "Company: {e}; Year: {q}; Revenue: {v}"),
    ("year", "town", "visitors",
     "How many tourists visited {e} in {q}? | How many visitors came to {e} in {q}?",
     "{e} welcomed {v} tourists in {q}. | In {q}, {v} visitors came to {e}. | "
     "Town: {e}; Year: {q}; Visitors: {v}"),
    ("branch", "company", "phone number",
     "What is the phone number of the {e} office in {q}? | How do I call {e} in {q}? | "
     "Which number reaches the {q} service centre of {e}?",
     "The {q} office of {e} can be reached on {v}. | {e}, {q} branch: call {v}. | "
     "Office: {q}; Company: {e}; Phone: {v}"),
    ("branch", "company", "opening hours",
     "When is the {q} shop of {e} open? | What are the opening hours of {e} in {q}?",
     "The {e} shop in {q} opens {v}. | {e} {q}: open {v}. | "
     "Branch: {q}; Company: {e}; Opening hours: {v}"),
    ("branch", "company", "manager",
     "Who manages the {q} branch of {e}? | Who is in charge of {e} in {q}?",
     "{v} manages the {q} branch of {e}. | {e} in {q} is run by {v}. | "
     "Branch: {q}; Company: {e}; Manager: {v}"),
]  # fmt: skip
_QUALIFIED_VALUES: dict[str, Value] = {
    "units sold": _num(200, 90000),
    "revenue": _money(100_000, 90_000_000),
    "visitors": ATTRIBUTES["visitors"].value,
    "phone number": ATTRIBUTES["phone"].value,
    "opening hours": ATTRIBUTES["hours"].value,
    "manager": _person_name,
}


def _qualifier(scope: str, rng: random.Random, not_year: int = 0) -> tuple[str, int]:
    """A branch town, or a year (sometimes a quarter of it) other than `not_year`."""
    if scope == "branch":
        return _town(rng), 0
    year = rng.choice([y for y in range(2005, 2030) if y != not_year])
    return (f"Q{rng.randint(1, 4)} {year}" if rng.random() < 0.25 else str(year)), year


def qualified_pairs(seed: int, n_facts: int) -> list[tuple[str, str, int, str]]:
    """(question, sentence, label, kind of pair): a fact of an asked year or branch stated for
    it (positive) or only for another year or branch of the same entity (negative)."""
    rng = random.Random(seed)
    out: list[tuple[str, str, int, str]] = []
    for _ in range(n_facts):
        scope, kind, what, asks, states = rng.choice(_QUALIFIED)
        name = _entity(kind, rng).full.removeprefix("the ")
        asked, year = _qualifier(scope, rng)
        other = _qualifier(scope, rng, year)[0]
        q = rng.choice(asks.split(" | ")).replace("{e}", name).replace("{q}", asked)
        value = _QUALIFIED_VALUES[what]
        for label, qualifier in ((1, asked), (0, other), (0, other)):
            text = rng.choice(states.split(" | "))
            text = text.replace("{e}", name).replace("{q}", qualifier).replace("{v}", value(rng))
            kind_of_pair = "positive, qualified" if label else "other " + scope
            out.append((q, text[:1].upper() + text[1:], label, kind_of_pair))
    rng.shuffle(out)
    return out
