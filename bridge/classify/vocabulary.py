"""Word lists the detector looks tokens up in.

Everything here is a ``frozenset`` so a message is checked with one C-level
``isdisjoint``/``in`` per token instead of a Python loop over the list, and so the
lists cannot be mutated at run time. Clinical terms are lower case (tokens are taken
from the lower-cased text); names are in their usual capitalised form because a
name is only a name when the writer capitalised it.
"""

from __future__ import annotations


def _words(text: str) -> frozenset[str]:
    # Whitespace-separated blocks keep ~1,000 words reviewable; a list literal would be
    # one word per line once formatted.
    return frozenset(text.split())


# Specific clinical content: lab tests and values, diagnoses, medications, procedures,
# findings. Any of these next to a person makes a message PHI.
CLINICAL_TERMS: frozenset[str] = _words(
    """
    a1c hba1c glucose sugar sugars potassium sodium creatinine egfr bun tsh t4 inr
    pt/inr psa ldl hdl cholesterol triglycerides lipid lipids hemoglobin hgb hematocrit
    hct wbc platelets cbc bmp cmp troponin bnp ferritin vitamin b12 folate ua urinalysis
    culture cultures bilirubin alt ast lft lfts lithium digoxin titer titers biopsy
    pathology pap smear colpo colposcopy mammogram mammo mri ct cat xray x-ray
    ultrasound echo echocardiogram ekg ecg holter colonoscopy endoscopy egd ascus hpv
    diabetes diabetic prediabetes hypertension htn chf copd asthma cancer carcinoma
    tumor tumour malignant malignancy metastatic lymphoma leukemia melanoma hiv aids
    hepatitis hep pregnant pregnancy miscarriage abortion ectopic depression depressed
    anxiety bipolar schizophrenia psychosis ptsd adhd autism dementia alzheimer
    alzheimers stroke afib a-fib arrhythmia pneumonia bronchitis uti std sti chlamydia
    gonorrhea syphilis herpes strep covid flu influenza rsv mono overdose suicidal
    ideation opioid opioids addiction alcoholism withdrawal fracture fractured sprain
    seizure seizures epilepsy migraine migraines ckd esrd dialysis cirrhosis anemia
    anemic hypothyroid hypothyroidism hyperthyroid gout lupus arthritis osteoporosis
    sclerosis parkinson parkinsons concussion infection infected cellulitis abscess
    sepsis rash eczema psoriasis acne allergy allergic anaphylaxis dvt embolism apnea
    obesity obese bmi insomnia sti's cataract glaucoma hernia appendicitis gallbladder
    gallstones kidney renal cardiac coronary angina palpitations syncope dizzy dizziness
    nausea vomiting diarrhea fever cough wheezing shortness pain exacerbation
    hypoglycemia hyperglycemia hypotension tachycardia bradycardia metformin insulin
    lantus humalog novolog jardiance farxiga trulicity ozempic wegovy mounjaro
    semaglutide tirzepatide lisinopril losartan amlodipine metoprolol atorvastatin
    rosuvastatin simvastatin statin warfarin coumadin eliquis apixaban xarelto
    rivaroxaban plavix clopidogrel aspirin sertraline zoloft fluoxetine prozac
    escitalopram lexapro citalopram bupropion wellbutrin venlafaxine effexor duloxetine
    cymbalta trazodone buspirone lorazepam ativan alprazolam xanax clonazepam klonopin
    diazepam valium adderall ritalin vyvanse oxycodone percocet hydrocodone vicodin
    morphine fentanyl tramadol suboxone buprenorphine methadone naloxone narcan
    gabapentin lyrica pregabalin prednisone methylprednisolone amoxicillin augmentin
    azithromycin zpak z-pak doxycycline cephalexin keflex ciprofloxacin cipro bactrim
    nitrofurantoin macrobid levothyroxine synthroid albuterol inhaler advair symbicort
    montelukast singulair omeprazole pantoprazole ibuprofen naproxen meloxicam
    cetirizine truvada prep paxlovid tamiflu antibiotics antibiotic antidepressant
    antidepressants chemo chemotherapy radiation infusion insulin-dependent surgery
    surgical appendectomy cholecystectomy hysterectomy mastectomy lumpectomy vasectomy
    tonsillectomy arthroscopy cath catheterization stent bypass cabg transplant
    amputation cesarean c-section iud nebulizer cast splint stitches sutures wound
    vaccination vaccinated vaccine immunization shot shots booster injection diagnosis
    diagnosed dx rx hx sx prognosis symptoms symptom mg mcg ml tid qid prn undetectable
    abnormal bp pulse urine hip knee
    hospice palliative dnr croup swab transfusion lesion retinopathy neuropathy
    prostate thyroid ovarian cervical pancreatic colon lung liver bladder otitis
    sinusitis tonsillitis conjunctivitis pinkeye lice scabies measles mumps
    chickenpox shingles impetigo cyst polyp polyps nodule injury injured
    swollen bleeding sore hurts ache aches sprained
    """
)

# Encounter and administrative-care words: these reveal that someone is a patient
# ("Mrs. Iverson's appointment moved to Thursday") but are far too common in
# staff talk to count next to a bare first name. They only combine with a strong
# person reference (honorific, "patient X", a full name, a self-introduction).
ENCOUNTER_TERMS: frozenset[str] = _words(
    """
    appointment appointments appt appts visit visits refill refills prescription
    prescriptions prescribed referral referrals results result labs chart admitted
    admission discharged discharge consult follow-up followup checkup no-show no-showed
    noshow records intake eob statement copay balance deductible authorization
    """
)

# A clinical word directly followed by one of these is about stock, equipment or an
# event, not about a person ("the A1C machine", "Jardiance samples", "flu shot
# clinic").
EQUIPMENT_FOLLOWERS: frozenset[str] = _words(
    """
    machine machines analyzer analyser analyzers kit kits supplies supply samples leads
    forms form template templates controls reagent reagents order orders shortage clinic
    clinics van interface interfaces cart fridge strips cartridges inventory training
    schedule rep reps program volumes volume codes code coverage pens lot formulary
    policy policies protocol protocols room rooms station
    """
)

# Tokens that make an old full date read as being about a person.
PERSON_WORDS: frozenset[str] = _words(
    """
    he she his her him hers patient pt mr mrs ms miss my i i'm son daughter mother
    father mom dad wife husband baby child kid boy girl grandmother grandfather
    """
)

# Family words after "my": the writer's relative, identified through the writer.
RELATIVES: frozenset[str] = _words(
    """
    son daughter child kid baby husband wife partner mom mother dad father grandmother
    grandfather grandma grandpa brother sister
    """
)

# Local parts of role mailboxes: an address whose every dot/dash/underscore/plus part
# is one of these belongs to a function, not to an individual.
ROLE_MAILBOX_WORDS: frozenset[str] = _words(
    """
    billing support noreply no reply donotreply do not info help helpdesk admin
    administrator contact sales office frontdesk front desk reception scheduling
    appointments records medicalrecords hr it accounts accounting ap ar claims service
    customerservice customer team hello postmaster webmaster abuse security privacy
    compliance orders results referrals fax remittance remit payments credentialing
    enrollment intake servicedesk notifications alerts mailer daemon edi interfaces ops
    operations finance invoices lab labs pharmacy
    legal contracts purchasing procurement marketing careers jobs press
    helpline inquiries enquiries general mail feedback partners vendor vendors
    """
)

# Capitalised words that are not a person's name even where one is expected: after
# "Mr."/"patient"/"PT", or in a capitalised pair ("Boston Children's", "Harvard
# Pilgrim's"). Health-system, payer and retailer words are here for the latter.
NON_NAMES: frozenset[str] = _words(
    """
    Monday Tuesday Wednesday Thursday Friday Saturday Sunday Mon Tue Tues Wed Thu Thur
    Thurs Fri Sat Sun January February March April May June July August September
    October November December Jan Feb Mar Apr Jun Jul Aug Sep Sept Oct Nov Dec Portal
    Portals Services Service Access Experience Financial Education Advocate Relations
    Safety Satisfaction Intake Care Center Coordinator Registration Info Information
    Eval Evaluation Notes Note Summary Chart Charts Records Record List Lists Room Rooms
    Dr Doctor The A An And Or If Is It In On At To For Of By With From Please Thanks
    Thank Hi Hello Team Office Front Desk Lab Labs Billing Support Acme Blue Cross
    Shield Medicare Medicaid Aetna Cigna Humana Anthem United Epic Quest Labcorp Clinic
    Hospital Health Medical Group Pharmacy Insurance
    Children Childrens General Memorial Regional Hospital Hospitals University Mercy
    Kaiser Permanente Mayo Hopkins Sinai Presbyterian Methodist Baptist Lutheran Catholic
    Saint St Valley County Community Mutual National State Centre Associates Partners
    Diagnostics Healthcare Pilgrim Tufts Harvard Beth Israel Brigham Lahey Atrius Optum
    Walgreens CVS Rite Costco Target Walmart Google Microsoft Amazon Apple
    """
)

# Common given names (US census and SSA lists, varied origins). Words that are also
# ordinary English words ("Will", "May", "Mark", "Hope"...) are left out on purpose:
# a capitalised common word at the start of a sentence must not become a person.
FIRST_NAMES: frozenset[str] = _words(
    """
    Aaron Abigail Adam Adrian Adriana Aisha Alan Albert Alejandro Alex Alexa Alexander
    Alexandra Alexis Alice Alicia Alison Allison Alyssa Amanda Amber Amelia Amir Amy Ana
    Andre Andrea Andrew Angel Angela Angelica Anita Ann Anna Anne Anthony Antonio Ariana
    Arthur Ashley Audrey Austin Ava Barbara Benjamin Bernard Beth Betty Beverly Bianca
    Bobby Brandon Brenda Brian Brianna Brittany Bruce Bryan Caleb Cameron Camila Carl
    Carla Carlos Carmen Carol Caroline Carolyn Catherine Cesar Charles Charlotte Cheryl
    Chloe Chris Christian Christina Christine Christopher Cindy Claire Clara Craig
    Crystal Cynthia Daniel Danielle Darius David Deborah Debra Denise Dennis Derek Diana
    Diane Diego Dmitri Donald Donna Doris Dorothy Douglas Dylan Edward Eduardo Elaine
    Elena Elijah Elizabeth Ella Ellen Emily Emma Eric Erica Erin Esther Ethan Eugene
    Evelyn Fatima Fernando Francisco Frank Gabriel Gabriela Gary George Gerald Gina
    Gloria Grace Gregory Hannah Harold Harry Heather Helen Henry Hiroshi Hugo Ian Irene
    Isaac Isabel Isabella Ivan Jacob Jacqueline Jamal James Jamie Janet Janice Jared
    Jasmine Jason Javier Jean Jeffrey Jennifer Jeremy Jerry Jesse Jessica Jesus Joan
    Joanne Joel John Jonathan Jordan Jorge Jose Joseph Joshua Joyce Juan Judith Judy
    Julia Julian Julie Justin Kaitlyn Karen Katherine Kathleen Kathryn Kathy Keith Kelly
    Kenneth Kevin Kimberly Kyle Lakisha Larry Latoya Laura Lauren Lawrence Leah Leonard
    Leslie Liam Lily Linda Lisa Logan Lori Louis Lucas Lucia Luis Luke Madison Malik
    Manuel Marcus Margaret Maria Marie Marilyn Mario Marisol Martha Mary Mason Matthew
    Megan Melissa Mia Michael Michelle Miguel Mohammed Muhammad Monica Nancy Natalie
    Nathan Nicholas Nicole Noah Nora Oliver Olivia Omar Oscar Pamela Patricia Patrick
    Paul Paula Pedro Peter Philip Phillip Priya Rachel Rafael Ralph Ramon Randy Raul Ray
    Raymond Rebecca Regina Ricardo Richard Rita Robert Roberto Roger Ronald Rosa Ruby
    Russell Ruth Ryan Samantha Samuel Sandra Sara Sarah Scott Sean Sergei Shannon Sharon
    Shawn Shirley Sofia Sophia Stephanie Stephen Steven Susan Sylvia Tamara Tanya Tara
    Teresa Terry Theresa Thomas Timothy Tina Todd Tom Tony Tracy Travis Tyler Valerie
    Vanessa Victor Victoria Vincent Virginia Walter Wanda Wayne Wei William Xavier
    Yolanda Yusuf Zachary Zoe
    """
)

# Common family names that are not also ordinary English words, so a capitalised one
# is very likely a person (US census top surnames, varied origins).
SURNAMES: frozenset[str] = _words(
    """
    Smith Johnson Williams Jones Garcia Miller Davis Rodriguez Martinez Hernandez Lopez
    Gonzalez Wilson Anderson Taylor Moore Jackson Perez Thompson Harris Sanchez Clark
    Ramirez Lewis Robinson Walker Allen Torres Nguyen Flores Adams Nelson Rivera
    Campbell Mitchell Carter Roberts Gomez Phillips Evans Turner Diaz Parker Cruz
    Edwards Collins Reyes Stewart Morris Morales Murphy Rogers Gutierrez Ortiz Morgan
    Cooper Peterson Ramos Kim Cox Howard Richardson Watson Brooks Chavez Bennett Mendoza
    Ruiz Hughes Alvarez Castillo Sanders Patel Myers Jimenez Foster Powell Jenkins Perry
    Russell Sullivan Ortega Coleman Butler Henderson Barnes Gonzales Fisher Vasquez
    Simmons Romero Jordan Patterson Alexander Hamilton Graham Reynolds Griffin Wallace
    Moreno Medina Castro Hayes Schmidt Schneider Mueller Ivanov Chen Wang Li Zhang Liu
    Huang Yang Zhao Wu Zhou Xu Lin Tran Pham Vu Dang Bui Ng Wong Chan Tanaka Suzuki Sato
    Kobayashi Mensah Nwosu Shah Singh Kumar Gupta Sharma Khan Ali Hassan Ahmed Rahman
    Cohen Levy Friedman Goldberg Rosenberg Kaplan Murray O'Brien O'Neill O'Connor Kelly
    Ryan Fitzgerald Gallagher Doyle Silva Santos Oliveira Pereira Rossi Russo Romano
    Esposito Vargas Herrera Aguilar Salazar Guzman Hansen Larsen Andersen Nielsen Olsen
    Johansson
    """
)

# Words that, between a number and "Drive"/"Way"/"Court", show the number is a count or
# a time ("2 units to Dr Lee", "20 minutes each way"), not a house number.
STREET_STOPWORDS: frozenset[str] = _words(
    """
    a an the to for of and or at in on with from by per each more than is are was
    minutes mins hours hrs days weeks units boxes patients rooms slots doses packs
    bottles cases people staff it we they you he she our their new old am pm
    """
)

# --- broader lists (second tuning round) ---------------------------------------------

# More clinical content, sensitive conditions first: sexual health, pregnancy loss,
# mental health, self-harm, substance use, infectious disease, neurology.
CLINICAL_TERMS = CLINICAL_TERMS | _words(
    """
    als hcv hbv hsv hpv hiv+ std's stds stis trich trichomonas trichomoniasis
    gonorrhoea chlamydial vaginosis pid syphilitic genital warts herpes truvada
    descovy biktarvy genvoya dovato harvoni epclusa mavyret sovaldi valtrex valacyclovir
    acyclovir metronidazole flagyl ceftriaxone rocephin penicillin miscarried stillbirth
    stillborn ivf infertility infertile prenatal postpartum pregnant trimester
    contraception contraceptive nexplanon depo depo-provera mifepristone misoprostol
    self-harm self-harming suicide suicidal overdosed relapse relapsed rehab detox
    sobriety heroin meth methamphetamine cocaine marijuana cannabis alcohol alcoholic
    naltrexone vivitrol antabuse chantix mdd gad ocd anorexia bulimia schizoaffective
    psychiatric psych counseling therapist seroquel quetiapine abilify aripiprazole
    risperdal risperidone zyprexa olanzapine lamotrigine lamictal depakote keppra
    topamax topiramate hydroxyzine ambien zolpidem norco dilaudid methotrexate humira
    enbrel sickle hemophilia huntington huntingtons fibrosis crohn crohns colitis
    celiac diverticulitis pancreatitis gerd ibs hyperlipidemia hypercholesterolemia
    hyperkalemia hypokalemia hyponatremia hypernatremia sciatica scoliosis fibromyalgia
    vertigo tinnitus macular tuberculosis mrsa c-diff cdiff hepatitis-c hep-c
    lipase amylase cpk d-dimer esr crp hcg beta-hcg dexa spirometry cytology mets
    metastasis metastases oncology oncologist chemo radiation mastectomy dementia
    seizure stroke tia nstemi stemi cad pvd aneurysm lump lumps mole moles
    fainted fainting numbness tingling headache headaches cramps cramping spotting
    vomited constipation itching swelling dyspnea sob fevers chills
    diagnoses biopsied pathology malignant benign hospice palliative
    potassium cardiomyopathy neuropathy nephropathy autism adhd
    """
)
# "Parkinson's", "Crohn's", "Alzheimer's": the tokeniser keeps the possessive.
CLINICAL_TERMS = (
    CLINICAL_TERMS
    | {term + "'s" for term in CLINICAL_TERMS}
    | {term + "’s" for term in CLINICAL_TERMS}
)

EQUIPMENT_FOLLOWERS = EQUIPMENT_FOLLOWERS | _words("wipes swabs pads prep dispenser sanitizer")

# Organisations, products and places that look like two unfamiliar words in a row.
NON_NAMES = NON_NAMES | _words(
    """
    Dexcom Omnipod Tandem Medtronic Abbott Freestyle Libre Philips Respironics ResMed
    Inspire Boston Scientific Zoll Stryker Pfizer Moderna Novavax Merck Lilly Novo
    Nordisk Sanofi AstraZeneca Gsk Janssen Gilead Bayer Teva Mylan Sandoz McKesson
    Cardinal Schein Medline Owens Athena Athenahealth AthenaHealth eClinicalWorks Cerner
    Allscripts NextGen Greenway Kareo DrChrono ModMed Surescripts CoverMyMeds Availity
    Waystar Zocdoc Phreesia Doximity Weave Podium RingCentral Zoom Teams Slack Outlook
    Gmail Element Matrix Synapse UnitedHealthcare Uhc Bcbs Tricare Molina Centene
    WellCare Wellcare Ambetter Highmark CareFirst Carefirst Emblem EmblemHealth Fidelis
    CareSource Caresource Amerigroup Wellpoint Elevance Regence Premera Geisinger
    MassHealth Masshealth Horizon Excellus BioReference Bioreference Sonic Arup Myriad
    Natera Invitae Cologuard Guardant Kroger Publix Safeway Albertsons Duane Reade
    Caremark OptumRx Capsule Dell Lenovo Cisco Comcast Verizon Xfinity Spectrum Labcorp's
    Los Angeles San Santa Las Vegas Del De La El Fort Baton Rouge Des Moines Sao Paulo
    Covid Omicron Medi-Cal Ozempic Wegovy Mounjaro Zepbound Rybelsus Jardiance Farxiga
    Hep Hepatitis Type Stage Grade Level Tier Pod Suite Unit Ward Bay Wing Floor
    Urgent Imaging Radiology Oncology Cardiology Dermatology Pediatrics Orthopedics
    Neurology Psychiatry Urology Gastroenterology Endocrinology Nephrology Rheumatology
    Podiatry Dental Vision Wellness Rehab Therapy Physical Occupational Speech
    Prior Auth Pt Pts Re Fw Fwd Cc Bcc Attn Re: Fyi Asap Pls Thx
    """
)

# Given names of more origins (Yoruba/Igbo/Akan, Slavic, Arabic, South and East Asian,
# Hispanic with and without accents). Ordinary English words are still left out.
FIRST_NAMES = FIRST_NAMES | _words(
    """
    Adebayo Adewale Ayodele Babatunde Bolanle Chidi Chiamaka Chinedu Chinonso Chioma
    Emeka Folake Funmilayo Funmi Ifeoma Ikechukwu Kehinde Taiwo Oluwaseun Seun Olumide
    Tunde Yetunde Ngozi Nnamdi Obinna Uche Kwame Kofi Abena Akua Kwabena Adaeze Amara
    Aleksandr Aleksandra Anastasia Andrei Anya Boris Dmitry Ekaterina Galina Igor Irina
    Katarzyna Krzysztof Larisa Lyudmila Marek Mikhail Natalia Natasha Nikolai Oksana
    Olga Pavel Piotr Svetlana Tatiana Vladimir Yuri Zofia Tomasz Wojciech Agnieszka
    Bogdan Miroslav Jelena Dragan Goran Milena Vesna Zoran Sergey Alexei Alexey Yelena
    Ahmed Ahmad Abdullah Abdul Amina Aaliyah Fatma Hamza Hussein Ibrahim Khalid Layla
    Leila Mahmoud Mariam Maryam Mohamed Mohammad Mustafa Nadia Noor Rania Salma Samir
    Tariq Walid Yasmin Youssef Zainab Zaid Karim Rashid Hana Hassan Khadija Aisha Amal
    Aarav Aditya Amit Anil Anjali Arjun Deepak Divya Ganesh Gaurav Kavya Krishna Lakshmi
    Manoj Meera Neha Pooja Rahul Rajesh Ravi Rohan Sanjay Shreya Sunil Sunita Vijay
    Vikram Sandeep Harpreet Gurpreet Manpreet Jaspreet Farhan Imran Ayesha Sana Nikhil
    Hiroshi Takeshi Yuki Yuko Haruto Kenji Akira Sakura Mei Jing Xiao Hua Ming Hao
    Jin Min Hyun Jae Thanh Linh Anh Minh Huong Duc Quang Thao Xin Yan Jun Lei Ying
    José María Jesús Raúl Ramón Andrés Sebastián Nicolás Lucía Inés Sofía Valentina
    Ximena Guadalupe Lupe Alejandra Fernanda Mariana Paola Rocío Beatriz Consuelo
    Dolores Esperanza Graciela Yesenia Maribel Leticia Joaquín Rodrigo Gustavo Héctor
    Hector Ignacio Armando Arturo Alfredo Enrique Ernesto Felipe Gerardo Guillermo Jaime
    Martín Mauricio Octavio Rubén Ruben Salvador Santiago Juana Josefina Yolanda Luz
    Marisela Araceli Elena Elías Efraín Agustín Darnell Tyrone Keisha Shanice Deshawn
    DeShawn Jamar Latisha Tamika Ebony Imani Malika Aaliyah Nia Kiara Jayden Xiomara
    """
)

SURNAMES = SURNAMES | _words(
    """
    Adeyemi Adebayo Okafor Okonkwo Okoro Oladipo Olawale Ogunleye Eze Nwankwo Obi Abiodun
    Owusu Boateng Asante Acheampong Adeleke Afolabi Balogun Chukwu Nwosu Ogunbiyi Oyelaran
    Ivanova Petrov Petrova Smirnov Smirnova Kuznetsov Kuznetsova Popov Sokolov Volkov
    Novak Kowalski Kowalska Nowak Wisniewski Wojcik Kaminski Lewandowski Zielinski
    Horvat Kovac Jovanovic Petrovic Nikolic Popescu Shevchenko Kovalenko Bondarenko
    Haddad Khoury Nasser Saleh Hamdan Mansour Aziz Yousef Khalil Qureshi Chaudhry
    Siddiqui Malik Akhtar Iqbal Hussain Abdi Farouk Rahimi Hosseini Karimi Tehrani
    Reddy Rao Nair Iyer Menon Pillai Desai Mehta Joshi Chopra Kapoor Malhotra Agarwal
    Bhatt Banerjee Chatterjee Mukherjee Bose Ghosh Verma Mishra Pandey Yadav Thakur
    Sandhu Dhillon Grewal Choi Cho Yoon Jang Lim Shin Kwon Hwang Ahn Yoo Jeon
    Watanabe Ito Yamamoto Nakamura Kato Yoshida Yamada Sasaki Matsumoto Inoue Kimura
    Hayashi Shimizu Ikeda Hashimoto Ishikawa Ogawa Fujita Okada Hasegawa Murakami
    Cheung Leung Chow Tsang Luo Zheng Guo Gao Zhu Hoang Phan Ngo Duong Truong Dinh
    Fernandez Fernández González Rodríguez Martínez López Pérez Sánchez Ramírez Gómez
    Díaz Hernández Jiménez Álvarez Gutiérrez Muñoz Munoz Núñez Nunez Ibáñez Peña Pena
    Castañeda Castaneda Espinoza Delgado Vega Rojas Contreras Sandoval Navarro Cortez
    Soto Estrada Figueroa Rios Ríos Fuentes Cabrera Mejia Mejía Acosta Orozco Velasquez
    Velásquez Zamora Ibarra Maldonado Cardenas Cárdenas Quintero Villanueva Rosales
    Escobar Avila Ávila Dominguez Domínguez Trujillo Montoya Pacheco Carrillo Lozano
    Aguirre Ochoa Bautista Salinas Cervantes Serrano Molina Suarez Suárez Benitez
    Benítez Calderón Calderon Jiménez Valdez Valdés Ybarra Zúñiga Zuniga
    """
)

NAMES_LOWER: frozenset[str] = frozenset(name.lower() for name in FIRST_NAMES | SURNAMES)

# Lower-case tokens that are never part of a name although no dictionary lists them:
# chat shorthand, clinical and office abbreviations, titles.
NOT_NAME_TOKENS: frozenset[str] = _words(
    """
    pt pts pls plz thx thnx thanx ty fyi asap btw lol omg eod eow rn np pa md do dr
    lpn cna ma prn rx dx hx sx tx fx bid tid qid qd qhs po iv im sq subq stat ok okay
    tmrw tmr tmw tues thurs wk wks hr hrs min mins mo yr yrs am pm est pst re fw fwd cc
    bcc ooo pto wfh ehr emr hipaa phi npi ein ssn mrn dob cpt icd hcpcs eob era edi
    rcm ar ap auth ins cpap bipap cgm pcp ob gyn obgyn ent gi er ed icu or pacu snf
    ltc dme hme w/ w/o b/c s/p c/o r/o f/u h/o yo y/o mr mrs ms mx miss nurse doctor
    vm lmom lvm tc cb fu appt appts pcp's labcorp quest cvs walgreens aetna cigna
    humana bcbs uhc medicaid medicare masshealth tricare molina optum kaiser epic
    """
)

COMMON_NOT_NAMES: frozenset[str] = (
    frozenset(word.lower() for word in NON_NAMES)
    | NOT_NAME_TOKENS
    | CLINICAL_TERMS
    | ENCOUNTER_TERMS
)

# Tokens that put a patient, a relative or the writer in a message: then a phone, an
# address or a mailbox introduced as a business's is still kept, failing closed.
PERSONAL_CUES: frozenset[str] = (
    _words(
        """
        her his him she he patient pt patient's pt's mom dad mother father son daughter
        wife husband child kid baby cell mobile personal mr mrs ms miss mx i'm im me my
        i've i’m i’ve mine family caregiver guardian dob mrn ssn chart
        """
    )
    | RELATIVES
)
