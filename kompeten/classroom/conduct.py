"""The rules of conduct (tata tertib) of the seed guide: general, classroom, dormitory."""

# ruff: noqa: E501 -- the seed text, one rule a line

RULES = [
    ('Tata Tertib Umum', [
        'Menjaga nama baik institusi sebagai jatidiri peserta dan menjunjung tinggi norma agama, norma susila, dan norma sosial;',
        'Menghormati penceramah, pengajar, penyelenggara, dan sesama peserta lainnya;',
        'Menyelesaikan semua tugas yang diberikan oleh penceramah, pengajar, dan penyelenggara pelatihan;',
        'Pakaian memakai pakaian batik selama mengikuti pelatihan;',
        'Berperilaku peduli dalam menjaga kebersihan dan kenyamanan di lingkungan pelatihan;',
        'Dilarang merokok di dalam gedung pemerintah;',
        'Dilarang membawa segala jenis senjata, miras, dan narkoba;',
        'Dilarang melakukan plagiarisme dalam bentuk apapun;',
        'Dilarang melakukan gratifikasi kepada penceramah, pengajar, penguji, pengelola, dan penyelenggara/panitia.',
    ]),
    ('Tata Tertib Dalam Kelas', [
        'Dalam mengikuti kegiatan di ruang kelas atau ruang diskusi, peserta pelatihan menempati tempat duduk sesuai papan nama masing-masing yang telah diatur;',
        'Untuk aktif bertanya/berdiskusi dalam kelas;',
        'Menghargai pendapat orang lain;',
        'HP dan alat komunikasi lainnya wajib dimatikan atau dalam mode silent selama kegiatan Pelatihan dan Sertifikasi Manajemen ASN berlangsung.',
    ]),
    ('Tata Tertib Penggunaan Asrama Pusbang ASN', [
        'Peserta tinggal di asrama dengan menempati kamar yang telah ditentukan oleh penyelenggara, setiap kamar dihuni 2 (dua) orang peserta dan tidak boleh berjenis kelamin berbeda;',
        'Menjaga kebersihan lingkungan asrama (gedung dan fasilitas) seperti : mencoret dinding, menempelkan stiker, poster dan sejenisnya serta membuang sampah sembarangan;',
        'Peserta tidak diperkenankan pindah kamar, kecuali terdapat hal-hal yang penting dengan persetujuan penyelenggara;',
        'Bertindak jujur, disiplin, dan sopan termasuk dalam berpakaian, khususnya pada saat berada di tempat umum di lingkungan asrama/Pusbang;',
        'Dilarang menerima dan/atau mengizinkan tamu, teman maupun anggota keluarga menginap di dalam kamar;',
        'Dilarang merokok di lingkungan asrama/Pusbang ASN BKN;',
        'Dilarang membawa, menyimpan, menggunakan, dan mengedarkan minuman keras dan narkoba;',
        'Dilarang memindahtangankan kamar dan memindahkan, mengambil atau mengganti barang-barang inventaris asrama dan merubah fasilitas asrama tanpa seizin pengelola asrama;',
        'Dilarang membawa barang-barang elektronik seperti rice cooker, dispenser, kompor listrik, pemanas air elektrik, dan televisi tanpa seizin pengelola asrama;',
        'Tidak diperkenankan menjemur pakaian diluar kamar;',
        'Dilarang membawa dan memelihara hewan peliharaan ke dalam kamar atau ke dalam lingkungan asrama;',
        'Matikan saklar lampu, kran air, dan air conditioner (AC) saat akan meninggalkan kamar, memberikan akses bagi pengelola untuk melakukan perawatan AC sesuai jadwal yang telah ditentukan oleh pengelola;',
        'Tidak meninggalkan barang-barang berharga (dompet, handphone, laptop dll.) saat meninggalkan kamar, panitia tidak bertanggungjawab atas kehilangan barang;',
        'Jam tenang asrama diberlakukan mulai pukul 22.00 WIB. Peserta pelatihan wajib berada di asrama mulai pukul 22.00 – 04.00;',
        'Bagi penghuni yang mengetahui dan atau melihat kejadian pelanggaran tata tertib yang berlaku di lingkungan asrama wajib melaporkan kepada pengelola asrama/keamanan;',
        'Apabila terjadi kerusakan pada perlengkapan asrama akibat kelalaian peserta, yang bersangkutan mengganti biaya perbaikan barang/perlengkapan yang rusak.',
    ]),
]
