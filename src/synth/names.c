/*
 * The pools the synthetic partnership draws from: given and family names by heritage (the
 * mix of a large English city), towns with their postcode areas, street and school names.
 * A given name may carry its usual short form after a bar ("Katarzyna|Kasia").
 */
#include "synth/synth_int.h"

static const char *const wb_m[] = { "Oliver|Ollie",
                                    "Jack",
                                    "Harry",
                                    "George",
                                    "Charlie",
                                    "Thomas|Tom",
                                    "James|Jim",
                                    "William|Will",
                                    "Daniel|Dan",
                                    "Joshua|Josh",
                                    "Samuel|Sam",
                                    "Joseph|Joe",
                                    "Ryan",
                                    "Liam",
                                    "Callum",
                                    "Lewis",
                                    "Matthew|Matt",
                                    "Christopher|Chris",
                                    "Michael|Mike",
                                    "Robert|Rob",
                                    "Dean",
                                    "Craig",
                                    "Stephen|Steve",
                                    "Paul",
                                    "Mark",
                                    "Lee",
                                    "Gary",
                                    "Kyle",
                                    NULL };
static const char *const wb_f[] = { "Olivia|Liv",
                                    "Amelia|Millie",
                                    "Isla",
                                    "Emily|Em",
                                    "Ava",
                                    "Lily",
                                    "Sophie",
                                    "Grace",
                                    "Chloe",
                                    "Jessica|Jess",
                                    "Rebecca|Becky",
                                    "Elizabeth|Liz",
                                    "Charlotte|Lottie",
                                    "Hannah",
                                    "Katie",
                                    "Lauren",
                                    "Kerry",
                                    "Stacey",
                                    "Gemma",
                                    "Nicola|Nicky",
                                    "Sarah",
                                    "Claire",
                                    "Jennifer|Jen",
                                    "Margaret|Maggie",
                                    "Samantha|Sam",
                                    NULL };
static const char *const wb_s[] = {
    "Smith",    "Jones",    "Taylor",   "Brown",   "Wilson",  "Johnson", "Walker", "Wright",
    "Robinson", "Thompson", "White",    "Hughes",  "Edwards", "Green",   "Hall",   "Wood",
    "Harris",   "Lewis",    "Martin",   "Jackson", "Clarke",  "Clark",   "Turner", "Hill",
    "Scott",    "Cooper",   "Ward",     "Morris",  "Moore",   "King",    "Hart",   "Cole",
    "Shaw",     "Holmes",   "Atkinson", "Barker",  NULL
};
static const char *const sa_m[] = { "Mohammed|Mo", "Muhammad", "Ali",   "Ibrahim", "Yusuf",
                                    "Ayaan",       "Zain",     "Hamza", "Imran",   "Bilal",
                                    "Arjun",       "Rohan",    "Aarav", "Harjit",  "Gurpreet",
                                    "Sanjay",      "Rahul",    "Omar",  "Adnan",   "Tariq",
                                    NULL };
static const char *const sa_f[] = { "Aisha",    "Fatima", "Maryam",   "Zara",   "Sana",
                                    "Ayesha",   "Hafsa",  "Noor",     "Amina",  "Priya",
                                    "Anjali",   "Simran", "Harpreet", "Nusrat", "Shabana",
                                    "Rukhsana", "Sadia",  "Parveen",  NULL };
static const char *const sa_s[] = { "Khan",  "Ahmed",  "Hussain",  "Ali",    "Shah",  "Begum",
                                    "Iqbal", "Akhtar", "Mahmood",  "Rashid", "Patel", "Singh",
                                    "Kaur",  "Sharma", "Chaudhry", "Rahman", "Islam", "Miah",
                                    "Uddin", "Bibi",   NULL };
static const char *const ba_m[] = {
    "Chidi",   "Emeka",          "Oluwaseun|Seun", "Tunde",        "Kwame",  "Kofi",  "Abdi",
    "Mohamed", "Tendai",         "Jerome",         "Marcus",       "Tyrone", "Andre", "Delroy",
    "Leon",    "Nathaniel|Nate", "Samuel|Sam",     "Daniel|Danny", NULL
};
static const char *const ba_f[] = { "Amara",         "Chioma",  "Ngozi",    "Adaeze|Ada",
                                    "Folasade|Sade", "Abena",   "Ama",      "Hodan",
                                    "Fadumo",        "Tendai",  "Shanice",  "Jasmine|Jas",
                                    "Aaliyah",       "Monique", "Precious", "Grace",
                                    "Blessing",      NULL };
static const char *const ba_s[] = { "Okafor",   "Okonkwo", "Adeyemi", "Oyelaran", "Mensah",
                                    "Asante",   "Mohamed", "Abdi",    "Moyo",     "Campbell",
                                    "Williams", "Brown",   "Francis", "Henry",    "Thomas",
                                    "Grant",    "Reid",    "Bailey",  "Edwards",  "Clarke",
                                    NULL };
static const char *const pl_m[] = {
    "Jakub|Kuba", "Aleksander|Olek", "Piotr",  "Tomasz|Tomek", "Krzysztof|Krzys", "Michal", "Pawel",
    "Marcin",     "Lukasz",          "Andrei", "Mihai",        "Vasile",          "Darius", NULL
};
static const char *const pl_f[] = { "Katarzyna|Kasia", "Agnieszka|Aga", "Magdalena|Magda",
                                    "Anna|Ania",       "Zofia|Zosia",   "Joanna|Asia",
                                    "Natalia",         "Ioana",         "Elena",
                                    "Maria",           "Oliwia",        NULL };
static const char *const pl_s[] = { "Nowak",     "Kowalski", "Wisniewski",  "Wojcik",
                                    "Kowalczyk", "Kaminski", "Lewandowski", "Zielinski",
                                    "Szymanski", "Popescu",  "Ionescu",     "Kazlauskas",
                                    "Petrov",    NULL };
static const char *const ir_m[] = { "Sean",   "Patrick|Paddy", "Ciaran", "Liam",
                                    "Conor",  "Declan",        "Eoin",   "Niall",
                                    "Cormac", "Michael|Mick",  NULL };
static const char *const ir_f[] = { "Siobhan",        "Aoife",   "Niamh",  "Ciara",
                                    "Roisin",         "Orla",    "Sinead", "Mary",
                                    "Bridget|Bridie", "Caoimhe", NULL };
static const char *const ir_s[] = { "Murphy",    "Kelly",    "O'Brien", "O'Neill",  "Byrne",
                                    "Ryan",      "O'Connor", "Walsh",   "McCarthy", "Doyle",
                                    "Gallagher", "Quinn",    NULL };
static const char *const ch_m[] = { "Wei",  "Jun", "Hao",   "Ming",  "Jian",
                                    "Chen", "Kai", "Jason", "Kevin", NULL };
static const char *const ch_f[] = { "Mei", "Li",   "Xin",    "Yan", "Ling",
                                    "Hui", "Jing", "Vivian", "Amy", NULL };
static const char *const ch_s[] = { "Wang", "Li",  "Zhang",  "Chen", "Liu", "Wong",
                                    "Chan", "Lam", "Cheung", "Ng",   "Ho",  NULL };
static const char *const mx_m[] = { "Jayden", "Tyler", "Reuben",     "Malachi", "Kai", "Elijah|Eli",
                                    "Isaac",  "Levi",  "Jacob|Jake", "Riley",   NULL };
static const char *const mx_f[] = { "Maya",  "Jada",  "Leah", "Ruby",   "Aaliyah", "Mia",
                                    "Layla", "Imani", "Skye", "Phoebe", NULL };
static const char *const mx_s[] = { "Campbell", "Johnson", "Walker",   "Khan",  "Okafor", "Murphy",
                                    "Williams", "Barnes",  "Robinson", "Ahmed", NULL };

const struct pw__heritage pw__heritages[] = {
    { "White British", "WBRI", "English", 58, wb_m, wb_f, wb_s },
    { "South Asian", "APKN", "Urdu", 14, sa_m, sa_f, sa_s },
    { "Black African or Caribbean", "BAFR", "English", 8, ba_m, ba_f, ba_s },
    { "Polish or Eastern European", "WOTH", "Polish", 7, pl_m, pl_f, pl_s },
    { "Irish", "WIRI", "English", 4, ir_m, ir_f, ir_s },
    { "Chinese", "CHNE", "Cantonese", 3, ch_m, ch_f, ch_s },
    { "Mixed", "MOTH", "English", 6, mx_m, mx_f, mx_s },
};
const size_t pw__heritage_count = sizeof(pw__heritages) / sizeof(pw__heritages[0]);

const struct pw__town pw__towns[] = {
    { "Leeds", "LS" },     { "Bradford", "BD" }, { "Manchester", "M" },    { "Birmingham", "B" },
    { "Leicester", "LE" }, { "Bristol", "BS" },  { "Sheffield", "S" },     { "Nottingham", "NG" },
    { "Liverpool", "L" },  { "Luton", "LU" },    { "Cardiff", "CF" },      { "Coventry", "CV" },
    { "Wakefield", "WF" }, { "Oldham", "OL" },   { "Huddersfield", "HD" }, { "London", "E" },
};
const size_t pw__town_count = sizeof(pw__towns) / sizeof(pw__towns[0]);

const char *const pw__streets[] = { "Mill Lane",
                                    "Church Street",
                                    "Station Road",
                                    "Victoria Road",
                                    "Park Avenue",
                                    "Harehills Avenue",
                                    "Roundhay Road",
                                    "Beeston Road",
                                    "Chapel Street",
                                    "Queens Road",
                                    "Kings Drive",
                                    "Albert Terrace",
                                    "Manor Close",
                                    "Oak Road",
                                    "Willow Crescent",
                                    "Cedar Grove",
                                    "Green Lane",
                                    "High Street",
                                    "New Road",
                                    "School Lane",
                                    "Bridge Street",
                                    "Springfield Road",
                                    "Grange Avenue",
                                    "Moor View",
                                    "Hillside Close",
                                    "Ash Grove",
                                    "Meadow Way",
                                    "Elm Street",
                                    "York Road",
                                    "Stanley Road",
                                    NULL };

const char *const pw__school_words[] = { "Meanwood",    "St Mary's", "Oakwood",         "Brudenell",
                                         "Holy Family", "Hillcrest", "Parkside",        "Riverside",
                                         "St Anne's",   "Greenhill", "Moorlands",       "Westfield",
                                         "Ashfield",    "Kirkstall", "Chapel Allerton", "Bankside",
                                         NULL };

size_t
pw__synth_count(const char *const *list)
{
    size_t n = 0;
    while (list[n] != NULL) {
        n++;
    }
    return n;
}
