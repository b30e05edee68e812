//! Small pools of invented names. Names only exist so that importers exercise their
//! "never store a name column" rule; any resemblance to real staff is coincidence.

pub(crate) const FIRST_NAMES: [&str; 48] = [
    "Aisha", "Amelia", "Amir", "Ben", "Bethany", "Callum", "Chloe", "Daniel", "Deborah", "Eleanor",
    "Ethan", "Fatima", "Gareth", "Grace", "Hannah", "Harpreet", "Imran", "Isla", "Jack", "Jasmine",
    "Joanne", "Kieran", "Kwame", "Laura", "Liam", "Lucy", "Marcus", "Megan", "Mohammed", "Naomi",
    "Niamh", "Oliver", "Olivia", "Owen", "Priya", "Rachel", "Rhys", "Rosie", "Samuel", "Sarah",
    "Sophie", "Tariq", "Thomas", "Tom", "Vanessa", "Wei", "Yusuf", "Zara",
];

pub(crate) const LAST_NAMES: [&str; 48] = [
    "Adeyemi", "Ahmed", "Ali", "Bailey", "Begum", "Bennett", "Brown", "Campbell", "Carter", "Chen",
    "Clarke", "Cooper", "Davies", "Edwards", "Evans", "Fletcher", "Green", "Hall", "Harris",
    "Hughes", "Hussain", "Jackson", "James", "Johnson", "Jones", "Kaur", "Khan", "Lewis", "Mensah",
    "Mitchell", "Morgan", "Murphy", "Nowak", "O'Brien", "Okafor", "Patel", "Price", "Roberts",
    "Robinson", "Shah", "Singh", "Smith", "Taylor", "Thompson", "Walker", "Williams", "Wilson",
    "Wright",
];
