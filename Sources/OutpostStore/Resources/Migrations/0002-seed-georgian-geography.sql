-- Regions: the capital, the Adjara autonomous republic and the nine mkhares, each
-- placed at its administrative centre.
INSERT INTO georgian_regions (name_en, name_ka, latitude, longitude)
SELECT v.name_en, v.name_ka, v.lat::NUMERIC(9,6), v.lon::NUMERIC(9,6)
FROM (VALUES
    ('Tbilisi',                           'თბილისი',                       41.691430, 44.834120),
    ('Adjara',                            'აჭარა',                         41.641800, 41.633600),
    ('Guria',                             'გურია',                         41.923360, 42.005250),
    ('Imereti',                           'იმერეთი',                       42.267910, 42.694590),
    ('Kakheti',                           'კახეთი',                        41.919570, 45.470020),
    ('Kvemo Kartli',                      'ქვემო ქართლი',                  41.562710, 44.978700),
    ('Mtskheta-Mtianeti',                 'მცხეთა-მთიანეთი',               41.845140, 44.718750),
    ('Racha-Lechkhumi and Kvemo Svaneti', 'რაჭა-ლეჩხუმი და ქვემო სვანეთი', 42.523220, 43.149820),
    ('Samegrelo-Zemo Svaneti',            'სამეგრელო-ზემო სვანეთი',        42.508400, 41.867960),
    ('Samtskhe-Javakheti',                'სამცხე-ჯავახეთი',               41.639520, 42.986040),
    ('Shida Kartli',                      'შიდა ქართლი',                   41.985320, 44.112900)
) AS v(name_en, name_ka, lat, lon)
ON CONFLICT (name_en) DO NOTHING;

-- Towns: every town (kalaki) outside the occupied territories plus the principal daba
-- settlements and resorts, grouped by region; region_id is looked up by the region's
-- English name. Coordinates are WGS84 town centres.
INSERT INTO georgian_cities (name_en, name_ka, region_id, latitude, longitude)
SELECT v.name_en, v.name_ka, r.id, v.lat::NUMERIC(9,6), v.lon::NUMERIC(9,6)
FROM (VALUES
    -- Tbilisi
    ('Tbilisi',        'თბილისი',       'Tbilisi',                           41.691430, 44.834120),
    ('Tskneti',        'წყნეთი',        'Tbilisi',                           41.694720, 44.698610),
    -- Adjara
    ('Batumi',         'ბათუმი',        'Adjara',                            41.641800, 41.633600),
    ('Kobuleti',       'ქობულეთი',      'Adjara',                            41.820000, 41.775280),
    ('Khelvachauri',   'ხელვაჩაური',    'Adjara',                            41.584520, 41.673100),
    ('Keda',           'ქედა',          'Adjara',                            41.599480, 41.939460),
    ('Shuakhevi',      'შუახევი',       'Adjara',                            41.625660, 42.186150),
    ('Khulo',          'ხულო',          'Adjara',                            41.645170, 42.314640),
    ('Chakvi',         'ჩაქვი',         'Adjara',                            41.725280, 41.732780),
    ('Makhinjauri',    'მახინჯაური',    'Adjara',                            41.673850, 41.694010),
    ('Ochkhamuri',     'ოჩხამური',      'Adjara',                            41.857130, 41.832190),
    -- Guria
    ('Ozurgeti',       'ოზურგეთი',      'Guria',                             41.923360, 42.005250),
    ('Lanchkhuti',     'ლანჩხუთი',      'Guria',                             42.087440, 42.036110),
    ('Chokhatauri',    'ჩოხატაური',     'Guria',                             42.018960, 42.239450),
    ('Ureki',          'ურეკი',         'Guria',                             41.995560, 41.778610),
    ('Naruja',         'ნარუჯა',        'Guria',                             41.906940, 41.954170),
    ('Laituri',        'ლაითური',       'Guria',                             41.912500, 41.909170),
    -- Imereti
    ('Kutaisi',        'ქუთაისი',       'Imereti',                           42.267910, 42.694590),
    ('Zestaponi',      'ზესტაფონი',     'Imereti',                           42.107520, 43.032910),
    ('Samtredia',      'სამტრედია',     'Imereti',                           42.153700, 42.335170),
    ('Chiatura',       'ჭიათურა',       'Imereti',                           42.298060, 43.298890),
    ('Tkibuli',        'ტყიბული',       'Imereti',                           42.347810, 42.997740),
    ('Sachkhere',      'საჩხერე',       'Imereti',                           42.335940, 43.405750),
    ('Khoni',          'ხონი',          'Imereti',                           42.325350, 42.422430),
    ('Tskaltubo',      'წყალტუბო',      'Imereti',                           42.328580, 42.598080),
    ('Vani',           'ვანი',          'Imereti',                           42.084080, 42.511890),
    ('Baghdati',       'ბაღდათი',       'Imereti',                           42.069430, 42.825050),
    ('Terjola',        'თერჯოლა',       'Imereti',                           42.180580, 42.977600),
    ('Kharagauli',     'ხარაგაული',     'Imereti',                           42.021370, 43.197730),
    ('Kulashi',        'კულაში',        'Imereti',                           42.206400, 42.346060),
    ('Shorapani',      'შორაპანი',      'Imereti',                           42.095950, 43.082480),
    -- Kakheti
    ('Telavi',         'თელავი',        'Kakheti',                           41.919570, 45.470020),
    ('Gurjaani',       'გურჯაანი',      'Kakheti',                           41.743840, 45.802460),
    ('Sighnaghi',      'სიღნაღი',       'Kakheti',                           41.619180, 45.922270),
    ('Tsnori',         'წნორი',         'Kakheti',                           41.620880, 45.969430),
    ('Sagarejo',       'საგარეჯო',      'Kakheti',                           41.736910, 45.325960),
    ('Lagodekhi',      'ლაგოდეხი',      'Kakheti',                           41.827470, 46.274950),
    ('Kvareli',        'ყვარელი',       'Kakheti',                           41.954930, 45.817160),
    ('Akhmeta',        'ახმეტა',        'Kakheti',                           42.034950, 45.208040),
    ('Dedoplistskaro', 'დედოფლისწყარო', 'Kakheti',                           41.465660, 46.103850),
    ('Tsinandali',     'წინანდალი',     'Kakheti',                           41.893150, 45.571290),
    -- Kvemo Kartli
    ('Rustavi',        'რუსთავი',       'Kvemo Kartli',                      41.562710, 44.978700),
    ('Marneuli',       'მარნეული',      'Kvemo Kartli',                      41.475880, 44.808950),
    ('Gardabani',      'გარდაბანი',     'Kvemo Kartli',                      41.459670, 45.089880),
    ('Bolnisi',        'ბოლნისი',       'Kvemo Kartli',                      41.451240, 44.538350),
    ('Dmanisi',        'დმანისი',       'Kvemo Kartli',                      41.331830, 44.202960),
    ('Tetritskaro',    'თეთრიწყარო',    'Kvemo Kartli',                      41.543790, 44.461810),
    ('Tsalka',         'წალკა',         'Kvemo Kartli',                      41.598220, 44.091120),
    ('Kazreti',        'კაზრეთი',       'Kvemo Kartli',                      41.381630, 44.419740),
    ('Manglisi',       'მანგლისი',      'Kvemo Kartli',                      41.697000, 44.384500),
    ('Tamarisi',       'თამარისი',      'Kvemo Kartli',                      41.437600, 44.743900),
    ('Trialeti',       'თრიალეთი',      'Kvemo Kartli',                      41.542700, 44.108300),
    ('Shaumiani',      'შაუმიანი',      'Kvemo Kartli',                      41.351340, 44.764500),
    -- Mtskheta-Mtianeti
    ('Mtskheta',       'მცხეთა',        'Mtskheta-Mtianeti',                 41.845140, 44.718750),
    ('Dusheti',        'დუშეთი',        'Mtskheta-Mtianeti',                 42.086420, 44.695000),
    ('Tianeti',        'თიანეთი',       'Mtskheta-Mtianeti',                 42.109870, 44.967840),
    ('Pasanauri',      'ფასანაური',     'Mtskheta-Mtianeti',                 42.350600, 44.689120),
    ('Stepantsminda',  'სტეფანწმინდა',  'Mtskheta-Mtianeti',                 42.656910, 44.643110),
    ('Zhinvali',       'ჟინვალი',       'Mtskheta-Mtianeti',                 42.131810, 44.772640),
    ('Gudauri',        'გუდაური',       'Mtskheta-Mtianeti',                 42.477970, 44.476160),
    -- Racha-Lechkhumi and Kvemo Svaneti
    ('Ambrolauri',     'ამბროლაური',    'Racha-Lechkhumi and Kvemo Svaneti', 42.523220, 43.149820),
    ('Oni',            'ონი',           'Racha-Lechkhumi and Kvemo Svaneti', 42.584530, 43.443560),
    ('Tsageri',        'ცაგერი',        'Racha-Lechkhumi and Kvemo Svaneti', 42.645340, 42.769110),
    ('Lentekhi',       'ლენტეხი',       'Racha-Lechkhumi and Kvemo Svaneti', 42.788880, 42.722280),
    -- Samegrelo-Zemo Svaneti
    ('Zugdidi',        'ზუგდიდი',       'Samegrelo-Zemo Svaneti',            42.508400, 41.867960),
    ('Poti',           'ფოთი',          'Samegrelo-Zemo Svaneti',            42.142720, 41.673840),
    ('Senaki',         'სენაკი',        'Samegrelo-Zemo Svaneti',            42.270770, 42.063340),
    ('Martvili',       'მარტვილი',      'Samegrelo-Zemo Svaneti',            42.414290, 42.378920),
    ('Khobi',          'ხობი',          'Samegrelo-Zemo Svaneti',            42.317460, 41.900200),
    ('Abasha',         'აბაშა',         'Samegrelo-Zemo Svaneti',            42.204530, 42.203570),
    ('Tsalenjikha',    'წალენჯიხა',     'Samegrelo-Zemo Svaneti',            42.608570, 42.066930),
    ('Chkhorotsku',    'ჩხოროწყუ',      'Samegrelo-Zemo Svaneti',            42.519540, 42.127340),
    ('Mestia',         'მესტია',        'Samegrelo-Zemo Svaneti',            43.043800, 42.723680),
    ('Jvari',          'ჯვარი',         'Samegrelo-Zemo Svaneti',            42.716930, 42.052000),
    ('Anaklia',        'ანაკლია',       'Samegrelo-Zemo Svaneti',            42.393020, 41.562270),
    -- Samtskhe-Javakheti
    ('Akhaltsikhe',    'ახალციხე',      'Samtskhe-Javakheti',                41.639520, 42.986040),
    ('Borjomi',        'ბორჯომი',       'Samtskhe-Javakheti',                41.846920, 43.397100),
    ('Akhalkalaki',    'ახალქალაქი',    'Samtskhe-Javakheti',                41.405140, 43.486290),
    ('Ninotsminda',    'ნინოწმინდა',    'Samtskhe-Javakheti',                41.266970, 43.589590),
    ('Adigeni',        'ადიგენი',       'Samtskhe-Javakheti',                41.675550, 42.702910),
    ('Aspindza',       'ასპინძა',       'Samtskhe-Javakheti',                41.573140, 43.248420),
    ('Vale',           'ვალე',          'Samtskhe-Javakheti',                41.616080, 42.881120),
    ('Bakuriani',      'ბაკურიანი',     'Samtskhe-Javakheti',                41.753030, 43.529070),
    ('Abastumani',     'აბასთუმანი',    'Samtskhe-Javakheti',                41.753390, 42.832030),
    ('Akhaldaba',      'ახალდაბა',      'Samtskhe-Javakheti',                41.929450, 43.487620),
    ('Tsagveri',       'წაღვერი',       'Samtskhe-Javakheti',                41.803650, 43.481940),
    -- Shida Kartli
    ('Gori',           'გორი',          'Shida Kartli',                      41.985320, 44.112900),
    ('Kaspi',          'კასპი',         'Shida Kartli',                      41.927760, 44.423550),
    ('Khashuri',       'ხაშური',        'Shida Kartli',                      41.997330, 43.599050),
    ('Kareli',         'ქარელი',        'Shida Kartli',                      42.021500, 43.895530),
    ('Agara',          'აგარა',         'Shida Kartli',                      42.037610, 43.823820),
    ('Surami',         'სურამი',        'Shida Kartli',                      42.024310, 43.555560)
) AS v(name_en, name_ka, region, lat, lon)
JOIN georgian_regions r ON r.name_en = v.region
ON CONFLICT (name_en) DO NOTHING;